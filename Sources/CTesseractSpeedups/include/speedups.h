#ifndef CTESSERACT_SPEEDUPS_H
#define CTESSERACT_SPEEDUPS_H

/// While set on the calling thread, some Leptonica calls take a faster road (see speedups.c):
/// line images as uncompressed PNG, and brick openings and closings in DWA code.
/// Set it only around TessBaseAPIRecognize.
void posteingang_tesseract_speedups(int lineImages, int morphology);

/// How many PNG images were written uncompressed on this thread since the process started.
long posteingang_line_images_fast_count(void);

/// How many brick openings and closings ran in DWA code on this thread since the process started.
long posteingang_dwa_morphology_count(void);

#endif
