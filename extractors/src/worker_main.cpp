// correlare-extract-worker FILE [--timeout S] [--memory-mb M] ...: extracts one file in
// its own process and prints the result as JSON. Started by ExtractInWorker only.
#include "extractors/worker.h"

int main(int argc, char** argv) { return correlare::extractors::RunExtractWorker(argc, argv); }
