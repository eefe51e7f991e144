// The gigsim command: parses nothing itself; the application maps errors to exit codes.
#include "gigsim/app.hpp"

int main(int argc, char** argv) {
  return gigsim::cli::main(argc, argv);
}
