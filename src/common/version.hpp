#pragma once
// The product's version, as `vcf-agent --version` and the MCP server's serverInfo report it.
namespace vcfagent {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace vcfagent
