// Reading a JPEG's primary image with libjpeg, with what Leptonica's reader cannot tell us:
// where the data ended when it ended early, CMYK/YCCK converted to grey, and libjpeg's errors
// as text instead of a process exit. libjpeg reports fatal errors by calling error_exit, which
// must not return; the only way back is longjmp, which is why this is C and not Swift.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "jpeg_reader.h"

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    pe_jpeg_result *result;
} error_manager;

static void on_error(j_common_ptr cinfo) {
    error_manager *manager = (error_manager *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    snprintf(manager->result->error, sizeof manager->result->error, "%s", text);
    longjmp(manager->jump, 1);
}

// Warnings (level -1) are counted and the first is kept; trace messages are dropped. Nothing
// is printed. Once the data has ended, libjpeg's complaints about it (the end-of-image marker
// it was given in the middle of a segment) say nothing new and are not counted.
static void on_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    error_manager *manager = (error_manager *)cinfo->err;
    if (manager->result->ended_early) return;
    if (cinfo->err->num_warnings == 0) {
        char text[JMSG_LENGTH_MAX];
        (*cinfo->err->format_message)(cinfo, text);
        snprintf(manager->result->first_warning, sizeof manager->result->first_warning, "%s", text);
    }
    cinfo->err->num_warnings++;
}

// The whole file is the buffer; libjpeg asks for more only when the data has ended. It then
// gets an end-of-image marker (as libjpeg's own memory source does), and we note where in the
// image that happened.
typedef struct {
    struct jpeg_source_mgr pub;
    pe_jpeg_result *result;
} source_manager;

static const JOCTET end_of_image[2] = {0xFF, JPEG_EOI};

static void init_source(j_decompress_ptr cinfo) { (void)cinfo; }

static boolean fill_input_buffer(j_decompress_ptr cinfo) {
    source_manager *source = (source_manager *)cinfo->src;
    if (!source->result->ended_early) {
        source->result->ended_early = 1;
        source->result->ended_in_scan = cinfo->input_scan_number;
        source->result->ended_at_row = (int)cinfo->input_iMCU_row;
    }
    source->pub.next_input_byte = end_of_image;
    source->pub.bytes_in_buffer = 2;
    return TRUE;
}

static void skip_input_data(j_decompress_ptr cinfo, long count) {
    if (count <= 0) return;
    while (count > (long)cinfo->src->bytes_in_buffer) {
        count -= (long)cinfo->src->bytes_in_buffer;
        (void)fill_input_buffer(cinfo);
    }
    cinfo->src->next_input_byte += count;
    cinfo->src->bytes_in_buffer -= (size_t)count;
}

static void term_source(j_decompress_ptr cinfo) { (void)cinfo; }

// A progressive file may hold any number of scans, each a pass over the whole image: thousands
// of tiny ones make a small file take minutes. No encoder writes more than a few dozen.
enum { MAX_SCANS = 1000 };

static void on_progress(j_common_ptr cinfo) {
    if (cinfo->is_decompressor) {
        j_decompress_ptr decompress = (j_decompress_ptr)cinfo;
        if (decompress->input_scan_number > MAX_SCANS) {
            error_manager *manager = (error_manager *)cinfo->err;
            snprintf(manager->result->error, sizeof manager->result->error,
                     "more than %d scans (a progressive JPEG has a few dozen at most)", MAX_SCANS);
            longjmp(manager->jump, 1);
        }
    }
}

static unsigned char cmyk_to_gray(int c, int m, int y, int k, int inverted) {
    if (inverted) {
        c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k;
    }
    int white = 255 - k;
    int r = (255 - c) * white / 255, g = (255 - m) * white / 255, b = (255 - y) * white / 255;
    // ITU-R 601 luminance, as for RGB elsewhere (Leptonica, Pillow).
    return (unsigned char)((r * 299 + g * 587 + b * 114 + 500) / 1000);
}

// State that must survive the longjmp lives in this struct (volatile locals are not enough
// for pointers handed to libjpeg).
typedef struct {
    struct jpeg_decompress_struct cinfo;
    error_manager errors;
    source_manager source;
    struct jpeg_progress_mgr progress;
    unsigned char *pixels;
    unsigned char *plain;
    unsigned char *row;
} reader;

int pe_jpeg_read_gray(const unsigned char *data, size_t size, int reduction, unsigned char **pixels,
                      pe_jpeg_result *result) {
    memset(result, 0, sizeof *result);
    *pixels = NULL;
    reader *state = calloc(1, sizeof *state);
    if (state == NULL) return -2;
    struct jpeg_decompress_struct *cinfo = &state->cinfo;
    cinfo->err = jpeg_std_error(&state->errors.pub);
    state->errors.pub.error_exit = on_error;
    state->errors.pub.emit_message = on_message;
    state->errors.result = result;
    volatile int status = -1;
    if (setjmp(state->errors.jump)) {
        goto done;
    }
    jpeg_create_decompress(cinfo);
    state->source.pub.init_source = init_source;
    state->source.pub.fill_input_buffer = fill_input_buffer;
    state->source.pub.skip_input_data = skip_input_data;
    state->source.pub.resync_to_restart = jpeg_resync_to_restart;
    state->source.pub.term_source = term_source;
    state->source.pub.next_input_byte = data;
    state->source.pub.bytes_in_buffer = size;
    state->source.result = result;
    cinfo->src = &state->source.pub;
    state->progress.progress_monitor = on_progress;
    cinfo->progress = &state->progress;

    jpeg_read_header(cinfo, TRUE);
    result->components = cinfo->num_components;
    result->color_space = cinfo->jpeg_color_space;
    result->adobe_marker = cinfo->saw_Adobe_marker;
    result->progressive = cinfo->progressive_mode;
    result->arithmetic = cinfo->arith_code;
    result->restart_interval = (int)cinfo->restart_interval;
    if (cinfo->density_unit == 1) {
        result->x_resolution = cinfo->X_density;
        result->y_resolution = cinfo->Y_density;
    } else if (cinfo->density_unit == 2) {
        result->x_resolution = (int)(cinfo->X_density * 2.54 + 0.5);
        result->y_resolution = (int)(cinfo->Y_density * 2.54 + 0.5);
    }
    int cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
    cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_GRAYSCALE;
    cinfo->scale_num = 1;
    cinfo->scale_denom = (unsigned)(reduction >= 1 ? reduction : 1);
    cinfo->dct_method = JDCT_ISLOW;
    jpeg_start_decompress(cinfo);

    int width = (int)cinfo->output_width, height = (int)cinfo->output_height;
    size_t stride = ((size_t)width + 3) & ~(size_t)3;
    result->width = width;
    result->height = height;
    state->pixels = malloc(stride * (size_t)height);
    state->row = malloc((size_t)width * (size_t)cinfo->output_components);
    // CMYK is converted both ways, as Adobe's inverted values (what Photoshop writes and what
    // viewers assume for every CMYK JPEG) and as plain ink, and the page keeps the reading in
    // which it is paper rather than a negative (see below).
    if (cmyk) state->plain = malloc(stride * (size_t)height);
    if (state->pixels == NULL || state->row == NULL || (cmyk && state->plain == NULL)) {
        status = -2;
        goto done;
    }
    unsigned long long inverted_sum = 0, plain_sum = 0;
    while (cinfo->output_scanline < cinfo->output_height) {
        unsigned char *line = state->pixels + stride * cinfo->output_scanline;
        JSAMPROW target = cmyk ? state->row : line;
        if (jpeg_read_scanlines(cinfo, &target, 1) != 1) break;
        if (cmyk) {
            unsigned char *plain = state->plain + stride * (cinfo->output_scanline - 1);
            const unsigned char *in = state->row;
            for (int x = 0; x < width; x++, in += 4) {
                line[x] = cmyk_to_gray(in[0], in[1], in[2], in[3], 1);
                plain[x] = cmyk_to_gray(in[0], in[1], in[2], in[3], 0);
                inverted_sum += line[x];
                plain_sum += plain[x];
            }
            for (int x = width; x < (int)stride; x++) plain[x] = 255;
        }
        for (int x = width; x < (int)stride; x++) line[x] = 255;
    }
    if (cmyk) {
        // A document is mostly paper. Plain ink values read as Adobe's inverted ones give its
        // negative: a page whose mean is dark where the other reading's is light. Only that
        // clear case overrides the convention (inverted, with or without an Adobe marker).
        unsigned long long count = (unsigned long long)width * (unsigned long long)height;
        unsigned long long inverted_mean = inverted_sum / count, plain_mean = plain_sum / count;
        result->cmyk_inverted = 1;
        if (inverted_mean < 100 && plain_mean > 150) {
            unsigned char *swap = state->pixels;
            state->pixels = state->plain;
            state->plain = swap;
            result->cmyk_inverted = 0;
        }
    }
    result->total_rows = (int)cinfo->total_iMCU_rows;
    jpeg_finish_decompress(cinfo);
    if (!result->ended_early) result->bytes_used = size - cinfo->src->bytes_in_buffer;
    // Rows that came from the file: all, or the complete iMCU rows of the scan that was cut
    // (for a progressive image only when the first scan, which covers the whole image
    // coarsely, was cut; later scans add detail everywhere).
    result->rows_read = height;
    if (result->ended_early && result->ended_in_scan <= 1 && result->ended_at_row < result->total_rows
        && result->total_rows > 0) {
        result->rows_read = (int)((long long)height * result->ended_at_row / result->total_rows);
    }
    if (result->ended_early && result->ended_in_scan == 0) result->rows_read = 0;
    *pixels = state->pixels;
    state->pixels = NULL;
    status = 0;

done:
    result->warnings = (int)state->errors.pub.num_warnings;
    jpeg_destroy_decompress(cinfo);
    free(state->pixels);
    free(state->plain);
    free(state->row);
    free(state);
    return status;
}
