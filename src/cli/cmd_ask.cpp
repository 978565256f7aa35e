// vcf-agent ask "QUESTION" : answers in plain language through the read-only tools, showing the
// tool calls every answer rests on. Without a question on a terminal: an interactive session.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "agent/agent.hpp"
#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/error.hpp"
#include "tools/tool_registry.hpp"

namespace vcfagent::cli {
namespace {

struct AskArgs {
    std::string question;
    std::string db;
    std::string data_dir;
    std::string format;
    agent::ChatClientConfig llm;
    int max_steps = 8;
    int llm_timeout_ms = 120000;
    int statement_timeout_ms = 30000;
    std::string stream = "auto";
};

void print_calls(const agent::AgentAnswer& a) {
    if (a.calls.empty()) {
        std::cout << "\n(no tool was called)\n";
        return;
    }
    std::cout << "\nTool calls (" << a.calls.size() << "):\n";
    int i = 0;
    for (const auto& c : a.calls) {
        char secs[32];
        std::snprintf(secs, sizeof secs, "%.3f s", c.seconds);
        std::cout << "  " << ++i << ". [step " << c.step << "] " << c.name << " "
                  << c.arguments.dump() << " -> ";
        if (c.ok)
            std::cout << c.rows << " rows (total " << c.total.dump() << "), " << secs << "\n";
        else
            std::cout << "error: " << c.error << "\n";
    }
}

// Prints one answer; returns the exit code it deserves.
int report(const AskArgs& args, const agent::Agent& agent, const agent::AgentAnswer& a,
           bool streamed) {
    if (args.format == "json") {
        auto j = a.to_json();
        j["model"] = args.llm.model;
        j["llm"] = args.llm.kind;
        j["messages"] = agent::transcript_json(agent.messages());
        std::cout << j.dump(2) << "\n";
    } else {
        if (!streamed) std::cout << a.answer;
        std::cout << "\n";
        print_calls(a);
        if (!a.unverified_numbers.empty()) {
            std::string list;
            for (const auto& n : a.unverified_numbers) list += (list.empty() ? "" : ", ") + n;
            std::cout << "warning: these numbers of the answer appear in no tool result: " << list
                      << "\n";
        }
    }
    std::cout.flush();
    if (a.stopped == "max_steps") {
        std::cerr << "vcf-agent: the model was still calling tools after " << a.steps
                  << " steps, so there is no answer (raise --max-steps or ask a narrower "
                     "question)\n";
        return kExitInvalid;
    }
    return kExitOk;
}

int run(AskArgs& args) {
    const bool interactive = args.question.empty();
    if (interactive && !isatty(STDIN_FILENO))
        throw InputError("ask", 0, "no question given (pass it as an argument)", kExitUsage);
    const bool stream = args.format != "json" &&
                        (args.stream == "on" || (args.stream == "auto" && isatty(STDOUT_FILENO)));
    args.llm.timeout = std::chrono::milliseconds(args.llm_timeout_ms);
    tools::ToolLimits limits;
    limits.statement_timeout = std::chrono::milliseconds(args.statement_timeout_ms);
    tools::ToolContext context(args.db, args.data_dir, limits);
    try {
        auto client = agent::make_chat_client(args.llm);
        args.llm.model = client->model();  // the default, when none was given
        agent::AgentOptions options;
        options.max_steps = args.max_steps;
        if (stream)
            options.on_text = [](std::string_view piece) {
                std::cout << piece;
                std::cout.flush();
            };
        agent::Agent agent(*client, tools::ToolRegistry::catalogue(), context, options);
        if (!interactive) return report(args, agent, agent.ask(args.question), stream);
        std::cerr << "vcf-agent: asking " << client->model() << " at " << client->url() << " about "
                  << args.db << " (empty line or Ctrl-D ends)\n";
        int rc = kExitOk;
        for (std::string line; std::cerr << "> " << std::flush, std::getline(std::cin, line);) {
            if (line.empty()) break;
            rc = report(args, agent, agent.ask(line), stream);
        }
        return rc;
    } catch (const agent::LlmError& e) {
        std::cerr << "vcf-agent: error: " << e.what() << "\n";
        return kExitUnreadable;
    }
}

const CommandRegistration registration("ask", [](CLI::App& app) {
    auto a = std::make_shared<AskArgs>();
    auto* cmd = app.add_subcommand(
        "ask", "Ask a question in plain language; an LLM answers through the read-only tools");
    cmd->add_option("question", a->question, "The question (none on a terminal: interactive)");
    add_db_option(*cmd, a->db);
    add_data_dir_option(*cmd, a->data_dir);
    add_output_format_option(*cmd, a->format, {"text", "json"});
    cmd->add_option("--llm", a->llm.kind, "Chat protocol: ollama or openai (llama.cpp, vLLM, ...)")
        ->check(CLI::IsMember({"ollama", "openai"}))
        ->capture_default_str();
    cmd->add_option("--llm-url", a->llm.url,
                    "Server base URL (default: OLLAMA_HOST or OPENAI_BASE_URL, else the usual "
                    "local/remote default)");
    cmd->add_option("--model", a->llm.model, "Model name (default: llama3.1 / gpt-4o-mini)");
    cmd->add_option("--api-key", a->llm.api_key,
                    "Bearer token for openai (default: OPENAI_API_KEY)");
    cmd->add_option("--max-steps", a->max_steps, "Tool rounds before giving up")
        ->check(CLI::Range(1, 50))
        ->capture_default_str();
    cmd->add_option("--llm-timeout-ms", a->llm_timeout_ms, "Connect/read timeout per LLM request")
        ->capture_default_str();
    cmd->add_option("--llm-retries", a->llm.max_retries, "Retries of 429/5xx/connection failures")
        ->capture_default_str();
    cmd->add_option("--timeout-ms", a->statement_timeout_ms, "Time limit of each store statement")
        ->capture_default_str();
    cmd->add_option("--stream", a->stream, "Stream the answer: auto (on a terminal), on, off")
        ->check(CLI::IsMember({"auto", "on", "off"}))
        ->capture_default_str();
    cmd->callback([a] { set_exit_code(run(*a)); });
});

}  // namespace
}  // namespace vcfagent::cli
