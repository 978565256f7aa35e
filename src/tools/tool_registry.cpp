#include "tools/tool_registry.hpp"

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "common/elapsed.hpp"
#include "store/graph_store.hpp"
#include "tools/catalogue_parts.hpp"

#include <map>
#include <mutex>

namespace vcfagent::tools {

// Parsed schemas, one per tool: valijson's Schema is not changed by validation, so concurrent
// calls share them.
struct ToolRegistry::CompiledSchemas {
    std::map<std::string, std::unique_ptr<valijson::Schema>, std::less<>> by_tool;
};

namespace {

std::string error_path(const std::vector<std::string>& context) {
    std::string out;
    for (const auto& part : context) out += part;
    return out.empty() ? "<root>" : out;
}

// The validator's first findings, phrased for a model to correct its call.
std::string validation_message(valijson::ValidationResults& results) {
    std::string msg;
    valijson::ValidationResults::Error e;
    int shown = 0;
    while (results.popError(e) && shown < 4) {
        msg += (shown++ ? "; " : "") + error_path(e.context) + ": " + e.description;
    }
    return msg;
}

}  // namespace

const ToolRegistry& ToolRegistry::catalogue() {
    static const ToolRegistry registry([] {
        std::vector<Tool> all;
        for (auto part : {store_tools, variant_tools, family_tools, search_tools, cypher_tools,
                          file_tools, export_tools, compare_tools, report_tools})
            for (auto& t : part()) all.push_back(std::move(t));
        return all;
    }());
    return registry;
}

ToolRegistry::ToolRegistry(std::vector<Tool> tools) : tools_(std::move(tools)) {
    auto compiled = std::make_shared<CompiledSchemas>();
    for (const auto& t : tools_) {
        if (!t.input_schema.is_object() || t.input_schema.value("type", "") != "object")
            throw std::logic_error("tool " + t.name + ": the argument schema must be an object");
        auto schema = std::make_unique<valijson::Schema>();
        valijson::SchemaParser parser;
        valijson::adapters::NlohmannJsonAdapter adapter(t.input_schema);
        parser.populateSchema(adapter, *schema);
        if (!compiled->by_tool.emplace(t.name, std::move(schema)).second)
            throw std::logic_error("two tools are named " + t.name);
    }
    schemas_ = std::move(compiled);
}

const Tool* ToolRegistry::find(std::string_view name) const {
    for (const auto& t : tools_)
        if (t.name == name) return &t;
    return nullptr;
}

ToolResult ToolRegistry::call(std::string_view name, const nlohmann::json& arguments,
                              ToolContext& context) const {
    const auto start = std::chrono::steady_clock::now();
    ToolResult result;
    auto finish = [&]() -> ToolResult {
        result.seconds = seconds_since(start);
        return result;
    };
    const Tool* tool = find(name);
    if (!tool) {
        std::string names;
        for (const auto& t : tools_) names += (names.empty() ? "" : ", ") + t.name;
        result.error = "unknown tool '" + std::string(name) + "'; the tools are: " + names;
        result.error_kind = "unknown_tool";
        return finish();
    }
    const nlohmann::json args = arguments.is_null() ? nlohmann::json::object() : arguments;
    {
        const valijson::Schema& schema = *schemas_->by_tool.find(name)->second;
        valijson::Validator validator;
        valijson::ValidationResults findings;
        valijson::adapters::NlohmannJsonAdapter target(args);
        if (!validator.validate(schema, target, &findings)) {
            result.error = "invalid arguments for " + tool->name + ": " +
                           validation_message(findings) +
                           ". Arguments must match the tool's input schema.";
            result.error_kind = "invalid_arguments";
            return finish();
        }
    }
    try {
        result.content = tool->handler(args, context);
        result.ok = true;
        if (result.content.contains("rows") && result.content["rows"].is_array())
            result.rows = static_cast<int64_t>(result.content["rows"].size());
    } catch (const store::WriteRefused& e) {
        result.error = e.what();
        result.error_kind = "refused";
    } catch (const std::exception& e) {
        result.error = e.what();
        result.error_kind = "tool_error";
    }
    return finish();
}

nlohmann::json ToolRegistry::describe() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : tools_)
        out.push_back(
            {{"name", t.name}, {"description", t.description}, {"input_schema", t.input_schema}});
    return out;
}

}  // namespace vcfagent::tools
