// vcf-agent tools list | tools call NAME '{json}' : the agent's tool catalogue, scriptable
// without a model. Every tool opens the store read-only.
#include <iostream>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/error.hpp"
#include "tools/tool_registry.hpp"

namespace vcfagent::cli {
namespace {

struct ToolsArgs {
    std::string db;
    std::string data_dir;
    std::string format;
    std::string name;
    std::string arguments = "{}";
    int timeout_ms = 30000;
};

// Bytes of the catalogue as sent to a model, and a token estimate at ~4 bytes per token (the
// usual ratio of English and JSON for BPE tokenizers; no tokenizer ships with the product).
void print_catalogue(const ToolsArgs& a) {
    const auto catalogue = tools::ToolRegistry::catalogue().describe();
    const std::string compact = catalogue.dump();
    if (a.format == "json") {
        std::cout << catalogue.dump(2) << "\n";
    } else {
        for (const auto& t : catalogue) {
            std::cout << t["name"].get<std::string>() << "\n  "
                      << t["description"].get<std::string>()
                      << "\n  arguments: " << t["input_schema"]["properties"].dump() << "\n";
            if (t["input_schema"].contains("required"))
                std::cout << "  required: " << t["input_schema"]["required"].dump() << "\n";
        }
    }
    std::cerr << "vcf-agent: " << catalogue.size() << " tools; the catalogue is " << compact.size()
              << " bytes of JSON, about " << (compact.size() + 3) / 4 << " tokens\n";
}

int call_tool(const ToolsArgs& a) {
    nlohmann::json args;
    try {
        args = nlohmann::json::parse(a.arguments);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError("tools call " + a.name, 0,
                         std::string("arguments are not JSON: ") + e.what(), kExitUsage);
    }
    tools::ToolLimits limits;
    limits.statement_timeout = std::chrono::milliseconds(a.timeout_ms);
    tools::ToolContext context(a.db, a.data_dir, limits);
    const auto result = tools::ToolRegistry::catalogue().call(a.name, args, context);
    if (!result.ok) {
        std::cerr << "vcf-agent: tool " << a.name << " failed: " << result.error << "\n";
        return kExitInvalid;
    }
    std::cout << result.content.dump(a.format == "json" ? -1 : 2) << "\n";
    return kExitOk;
}

const CommandRegistration registration("tools", [](CLI::App& app) {
    auto a = std::make_shared<ToolsArgs>();
    auto* cmd = app.add_subcommand("tools", "The read-only tools the agent, MCP and server use");
    cmd->require_subcommand(1);
    auto* list = cmd->add_subcommand("list", "Print the tool catalogue with argument schemas");
    add_output_format_option(*list, a->format, {"text", "json"});
    list->callback([a] { print_catalogue(*a); });

    auto* call = cmd->add_subcommand("call", "Run one tool: tools call NAME '{\"arg\": ...}'");
    call->add_option("name", a->name, "Tool name (see tools list)")->required();
    call->add_option("arguments", a->arguments, "Arguments as a JSON object")
        ->capture_default_str();
    add_db_option(*call, a->db);
    add_data_dir_option(*call, a->data_dir);
    call->add_option("--timeout-ms", a->timeout_ms, "Time limit of each statement")
        ->capture_default_str();
    add_output_format_option(*call, a->format, {"pretty", "json"});
    call->callback([a] { set_exit_code(call_tool(*a)); });
});

}  // namespace
}  // namespace vcfagent::cli
