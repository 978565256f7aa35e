#pragma once
// The catalogue of typed, read-only tools: one name, a description written for a language
// model, a JSON Schema of the arguments and a handler that calls the query layer. The CLI
// (`tools list|call`), the agent (`ask`) and the MCP server all go through this one registry,
// so a tool means the same thing wherever it is called from.
//
// Invariants: arguments reach a handler only after the schema validator accepted them; every
// handler sees the store through a ToolContext that opened it read-only; every result is a JSON
// object with a bounded number of rows, a top-level `total` and a `truncated` flag.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/tool_context.hpp"

namespace vcfagent::tools {

struct Tool {
    std::string name;
    std::string description;
    nlohmann::json input_schema;  // JSON Schema (draft 7 subset valijson checks), type object
    // Returns the result object; throws ToolError (or any std::exception) for a failed call.
    std::function<nlohmann::json(const nlohmann::json& args, ToolContext& context)> handler;
};

// A failure a caller (often a model) can read and act on: a bad argument, an unknown sample.
class ToolError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// What one call produced. Never throws out of ToolRegistry::call: a failure is ok = false with
// an error text, so an agent loop can hand it back to the model and go on.
struct ToolResult {
    bool ok = false;
    nlohmann::json content;  // the handler's object when ok
    std::string error;       // when !ok: what went wrong, phrased for the caller to correct
    // when !ok: "unknown_tool", "invalid_arguments" (schema), "refused" (a write was refused)
    // or "tool_error" (the handler failed, e.g. an unknown sample or a Cypher error)
    std::string error_kind;
    int64_t rows = 0;    // content["rows"].size() when present, else 0
    double seconds = 0;  // wall time of the call, validation included
};

class ToolRegistry {
  public:
    // The product's catalogue (every tool of src/tools/*), built once.
    static const ToolRegistry& catalogue();

    explicit ToolRegistry(std::vector<Tool> tools);

    const std::vector<Tool>& tools() const { return tools_; }
    const Tool* find(std::string_view name) const;

    // Validates `arguments` against the tool's schema, then runs its handler. Safe to call
    // from several threads at once with the same context.
    ToolResult call(std::string_view name, const nlohmann::json& arguments,
                    ToolContext& context) const;

    // [{name, description, input_schema}] in catalogue order.
    nlohmann::json describe() const;

  private:
    struct CompiledSchemas;  // the parsed schemas, immutable after construction
    std::vector<Tool> tools_;
    std::shared_ptr<const CompiledSchemas> schemas_;
};

}  // namespace vcfagent::tools
