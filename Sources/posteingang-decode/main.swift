import Foundation
import Imaging

// `posteingang-decode decode-worker --limits JSON [--memory-headroom BYTES] --output DIR FILE`:
// the child process the daemon starts to decode one upload under resource limits (see
// `DecoderIsolation`). It links only the Imaging module, so that starting it costs little;
// `posteingang decode-worker` does the same inside the big program.
exit(DecodeWorker.main(arguments: Array(CommandLine.arguments.dropFirst())))
