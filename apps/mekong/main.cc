// The one Mekong binary: wiring only; see src/mekong/cli.
#include "mekong/cli/cli.h"

int main(int argc, char** argv) { return mekong::cli::Main(argc, argv); }
