#ifndef POSTEINGANG_LINE_IMAGES_H
#define POSTEINGANG_LINE_IMAGES_H

/// While set on the calling thread, Leptonica's pixWriteMem writes PNG without zlib
/// compression (see line_images.c). Set it only around TessBaseAPIRecognize.
void posteingang_line_images_fast(int on);

/// How many PNG images were written fast on this thread since the process started.
long posteingang_line_images_fast_count(void);

#endif
