#ifndef CJPEG_READER_H
#define CJPEG_READER_H

#include <stddef.h>

/// What `pe_jpeg_read_gray` found while reading (see jpeg_reader.c).
typedef struct {
    /// Size of the decoded (possibly reduced) image in pixels.
    int width;
    int height;
    /// Rows of `height` that came from the file's data; below them libjpeg had nothing to read.
    int rows_read;
    /// Components in the frame (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK) and libjpeg's J_COLOR_SPACE.
    int components;
    int color_space;
    /// An Adobe APP14 marker was seen (CMYK/YCCK values are then stored inverted).
    int adobe_marker;
    /// For CMYK and YCCK: 1 when the values were read as Adobe's inverted ones, 0 as plain ink.
    int cmyk_inverted;
    int progressive;
    int arithmetic;
    int restart_interval;
    /// Resolution from the JFIF header in dots per inch (0 when not given), as Leptonica reads it.
    int x_resolution;
    int y_resolution;
    /// 1 when the data ended before the image's end-of-image marker.
    int ended_early;
    /// The scan (1-based) being read when the data ended, and how many of its iMCU rows of
    /// `total_rows` were complete by then.
    int ended_in_scan;
    int ended_at_row;
    int total_rows;
    /// Bytes of the file read up to the image's end-of-image marker (0 when it ended early).
    size_t bytes_used;
    /// libjpeg's warnings about the data (corrupt segments and the like) and the first one's text.
    int warnings;
    char first_warning[200];
    /// libjpeg's error text when reading failed.
    char error[200];
} pe_jpeg_result;

/// Decodes the primary image of the JPEG in `data` to 8-bit grey, reduced by `reduction`
/// (1, 2, 4 or 8), into a new buffer of `height` rows of `stride` bytes (stride = width rounded
/// up to 4) returned in `*pixels` (free it with `free`). Grey and YCbCr take the luminance,
/// RGB its luminance, CMYK and YCCK are converted through RGB (read as Adobe's inverted values
/// unless the page then comes out as a negative). Returns 0 on success, -1 when libjpeg refused the data (`error` says why), -2 when
/// memory ran out.
int pe_jpeg_read_gray(const unsigned char *data, size_t size, int reduction, unsigned char **pixels,
                      pe_jpeg_result *result);

#endif
