#pragma once
// Each subcommand lives in its own src/cli/cmd_<name>.cpp and registers itself here at static
// initialisation; main() builds the CLI from the registry. Files in src/cli are compiled into
// the executable directly, so the registrations cannot be dropped by the linker.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace vcfagent::cli {

// A command's setup adds its subcommand to `app`; its callback stores the exit code with
// set_exit_code(). Commands report errors by throwing (InputError, StoreError, ...).
using CommandSetup = std::function<void(CLI::App& app)>;

struct CommandRegistration {
    CommandRegistration(std::string name, CommandSetup setup);
};

struct RegisteredCommand {
    std::string name;
    CommandSetup setup;
};
std::vector<RegisteredCommand>& registered_commands();

void set_exit_code(int code);
int exit_code();

}  // namespace vcfagent::cli
