// Tesseract 5.3 keeps every text line it hands to the LSTM as an encoded image:
// Tesseract::GetLineData -> ImageData::SetPix calls pixWriteMem(..., IFF_PNG) and reads it back
// with pixReadMem a moment later. Leptonica writes that PNG at zlib's default level: deflate
// and inflate of the line images took ~7.5% of the CPU of reading a page (perf over
// `posteingang read` on the photo fixtures).
//
// This file defines pixWriteMem in the executable. The dynamic linker binds libtesseract's call
// to the executable's definition before liblept's (ELF symbol interposition, as with a malloc
// replacement); every call goes on to Leptonica's own pixWriteMem (dlsym RTLD_NEXT). While the
// calling thread has asked for it (posteingang_line_images_fast, set only around
// TessBaseAPIRecognize), a PNG is written with zlib level 0 (stored blocks) instead: the bytes
// are read back in-process and never kept. Measured on 8 photo fixtures (`posteingang read`,
// user CPU, two runs each): 7.67/7.75 s -> 6.99/7.18 s, the text byte for byte the same;
// level 1: 7.22 s; PNM instead of PNG: 7.30/7.34 s. Leptonica's documented way to choose the level
// is the pix's `special` field (pixSetZlibCompression), which is restored afterwards.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <stddef.h>
#include <leptonica/allheaders.h>
#include "line_images.h"

static _Thread_local int fast = 0;
static _Thread_local long fast_count = 0;

void posteingang_line_images_fast(int on) { fast = on; }
long posteingang_line_images_fast_count(void) { return fast_count; }

typedef l_ok (*write_mem_fn)(l_uint8 **, size_t *, PIX *, l_int32);

l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 format) {
    static write_mem_fn next = NULL;
    if (next == NULL) {
        next = (write_mem_fn)dlsym(RTLD_NEXT, "pixWriteMem");
        if (next == NULL) abort();  // liblept is linked: cannot happen
    }
    if (!fast || format != IFF_PNG || pix == NULL) return next(pdata, psize, pix, format);
    l_int32 saved = pix->special;
    pix->special = 10 + 0;  // zlib level 0: stored, not compressed
    l_ok result = next(pdata, psize, pix, format);
    pix->special = saved;
    fast_count++;
    return result;
}
