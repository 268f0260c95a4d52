// Tesseract 5.3 keeps every text line it hands to the LSTM as an encoded image:
// Tesseract::GetLineData -> ImageData::SetPix calls pixWriteMem(..., IFF_PNG) and reads it back
// with pixReadMem a moment later. Leptonica writes that PNG at zlib's default level: deflate
// and inflate of the line images took ~7.5% of the CPU of reading a page (perf over
// `posteingang read` on the photo fixtures).
//
// This file defines pixWriteMem in the executable. The dynamic linker binds libtesseract's call
// to the executable's definition before liblept's (ELF symbol interposition, as with a malloc
// replacement); every call goes on to Leptonica's own pixWriteMem (dlsym RTLD_NEXT). While the
// calling thread has asked for it (posteingang_tesseract_speedups, set only around
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
#include "speedups.h"

static _Thread_local int fast = 0;
static _Thread_local long fast_count = 0;
static _Thread_local int dwa = 0;
static _Thread_local long dwa_count = 0;

void posteingang_tesseract_speedups(int lineImages, int morphology) { fast = lineImages; dwa = morphology; }
long posteingang_line_images_fast_count(void) { return fast_count; }
long posteingang_dwa_morphology_count(void) { return dwa_count; }

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

// Tesseract's rule finder (LineFinder::GetLineMasks) closes and opens the page's binary image
// with bricks of resolution/60, resolution/20 and resolution/4 pixels (5, 15 and 75 at
// 300 dpi) through pixCloseBrick/pixOpenBrick, which Leptonica does with one full-page
// rasterop per element of the brick: ~6% of a page's CPU. Leptonica's DWA versions do the
// same operations with generated word-parallel code; sizes in its basic set of linear sels
// (up to 30 px here) give the same pixels; larger ones (the 75 px rule length) are
// composed of two (within 2 px of the length asked for). Measured: 8 photo fixtures
// (`posteingang read`, user CPU, two runs each) 7.01/6.97 s -> 6.49/6.55 s; eval over all 81
// fixtures: every document's text, fields, class and case the same as without.
typedef PIX *(*brick_fn)(PIX *, PIX *, l_int32, l_int32);

static int dwa_applies(PIX *pixs, l_int32 hsize, l_int32 vsize) {
    return dwa && pixs != NULL && pixGetDepth(pixs) == 1 && hsize >= 1 && vsize >= 1;
}

// One interposer for both: `next` caches Leptonica's own function (looked up on first use; a
// race between threads stores the same pointer), `faster` is its DWA counterpart.
static PIX *brick(brick_fn *next, const char *name, brick_fn faster,
                  PIX *pixd, PIX *pixs, l_int32 hsize, l_int32 vsize) {
    if (*next == NULL && (*next = (brick_fn)dlsym(RTLD_NEXT, name)) == NULL) abort();
    if (!dwa_applies(pixs, hsize, vsize)) return (*next)(pixd, pixs, hsize, vsize);
    dwa_count++;
    return faster(pixd, pixs, hsize, vsize);
}

PIX *pixOpenBrick(PIX *pixd, PIX *pixs, l_int32 hsize, l_int32 vsize) {
    static brick_fn next = NULL;
    return brick(&next, "pixOpenBrick", pixOpenBrickDwa, pixd, pixs, hsize, vsize);
}

PIX *pixCloseBrick(PIX *pixd, PIX *pixs, l_int32 hsize, l_int32 vsize) {
    static brick_fn next = NULL;
    return brick(&next, "pixCloseBrick", pixCloseBrickDwa, pixd, pixs, hsize, vsize);
}
