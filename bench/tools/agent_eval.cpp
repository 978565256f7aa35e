// agent_eval: how well `vcf-agent ask`, driven by a real model, answers questions about the
// bundled test files. Every expected answer comes from bcftools on the same file, so the
// evaluation needs no hand-written answers and follows the files if they change.
//
//   agent_eval --agent PATH/vcf-agent --questions bench/agent_eval/questions.tsv --data tests/data
//              --llm ollama|openai [--llm-url URL] [--model NAME] [--workdir DIR]
//              [--only ID,...] [--max-steps N] [--json FILE]
//
// The questions file has the columns id, store, question, kind, referee (see
// bench/agent_eval/README.md). For each store a selected question needs, the bundled file is
// ingested once into WORKDIR/<store>-db (`vcf-agent ingest FILE --db DIR`) and reused by later
// runs while the file is unchanged. Each referee runs as `bash -o pipefail -c REFEREE` with
// VCF=<file> in its environment; then each question is asked as
// `vcf-agent ask QUESTION --db DIR --llm .. -O json --stream off` and its JSON transcript is
// judged by kind:
//   count     the answer contains the expected integer (thousands separators allowed; a count up
//             to twenty may also be written as a word)
//   number    the answer contains a number equal to the expected one at 2 decimal places
//             (a percentage counts as its fraction)
//   contains  the answer contains the expected text, case-insensitively
//   refuse    the answer says no / not / cannot / refuses and states no number the agent found
//             in none of its tool results (the transcript's unverified_numbers)
//
// Prints one line per question and a summary: accuracy (overall and per kind), tool calls per
// question, failed tool calls, questions with unverified numbers, latency p50/p95/max (wall
// time of each `ask` process). --json FILE also writes the summary and every transcript.
// Exits 0 when the evaluation ran, whatever the accuracy; 1 on setup errors (a referee that
// fails, an ingest that fails, none of the first three questions answered: no model server);
// 2 on usage errors.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/elapsed.hpp"

extern char** environ;

namespace {

using namespace vcfagent;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

// The bundled file behind each store name of the questions file.
const std::map<std::string, std::string> kStoreFiles = {
    {"chr22", "chr22.vcf.gz"},
    {"hapmap", "hapmap_exome_chr22.vcf.gz"},
    {"snpeff", "test.snpeff.vcf"},
};
const std::vector<std::string> kKinds = {"count", "number", "contains", "refuse"};

struct Args {
    std::string agent, questions, data, llm, llm_url, model, workdir, json_file;
    std::set<std::string> only;
    int max_steps = 0;  // 0: the agent's default
};

[[noreturn]] void usage(const std::string& msg) {
    std::fprintf(stderr,
                 "agent_eval: %s\nusage: agent_eval --agent PATH/vcf-agent --questions FILE.tsv "
                 "--data DIR --llm ollama|openai [--llm-url URL] [--model NAME] [--workdir DIR] "
                 "[--only ID,...] [--max-steps N] [--json FILE]\n",
                 msg.c_str());
    std::exit(2);
}

[[noreturn]] void setup_error(const std::string& msg) {
    std::fprintf(stderr, "agent_eval: %s\n", msg.c_str());
    std::exit(1);
}

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        if (s == "-h" || s == "--help") usage("evaluate `vcf-agent ask` against a model");
        if (i + 1 >= argc) usage("missing value for " + s);
        const std::string v = argv[++i];
        if (s == "--agent")
            a.agent = v;
        else if (s == "--questions")
            a.questions = v;
        else if (s == "--data")
            a.data = v;
        else if (s == "--llm")
            a.llm = v;
        else if (s == "--llm-url")
            a.llm_url = v;
        else if (s == "--model")
            a.model = v;
        else if (s == "--workdir")
            a.workdir = v;
        else if (s == "--json")
            a.json_file = v;
        else if (s == "--max-steps") {
            char* end = nullptr;
            const long n = std::strtol(v.c_str(), &end, 10);
            if (end == v.c_str() || *end != '\0' || n < 1 || n > 50)
                usage("--max-steps must be an integer from 1 to 50");
            a.max_steps = static_cast<int>(n);
        } else if (s == "--only") {
            std::stringstream in(v);
            for (std::string id; std::getline(in, id, ',');)
                if (!id.empty()) a.only.insert(id);
        } else
            usage("unknown option " + s);
    }
    if (a.agent.empty() || a.questions.empty() || a.data.empty() || a.llm.empty())
        usage("--agent, --questions, --data and --llm are required");
    if (a.llm != "ollama" && a.llm != "openai") usage("--llm must be ollama or openai");
    if (a.workdir.empty()) a.workdir = (fs::temp_directory_path() / "vcf-agent-eval").string();
    return a;
}

// ---------------------------------------------------------------------------------------------
// Child processes: argv vectors through posix_spawn (no shell, so questions need no quoting),
// stdin from /dev/null, stdout and stderr captured.

struct ProcessResult {
    int exit_code = -1;  // 128 + signal when killed by one
    std::string out, err;
};

ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::vector<std::pair<std::string, std::string>>& env = {}) {
    std::vector<char*> cargv;
    for (const auto& s : argv) cargv.push_back(const_cast<char*>(s.c_str()));
    cargv.push_back(nullptr);

    // The environment of this process with `env` set on top.
    std::vector<std::string> env_text;
    for (char** e = environ; e && *e; ++e) {
        const std::string_view entry(*e);
        const bool replaced = std::any_of(env.begin(), env.end(), [&](const auto& kv) {
            return entry.size() > kv.first.size() && entry.substr(0, kv.first.size()) == kv.first &&
                   entry[kv.first.size()] == '=';
        });
        if (!replaced) env_text.emplace_back(entry);
    }
    for (const auto& [k, v] : env) env_text.push_back(k + "=" + v);
    std::vector<char*> cenv;
    for (auto& s : env_text) cenv.push_back(s.data());
    cenv.push_back(nullptr);

    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error(std::strerror(errno));
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        throw std::runtime_error(std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), cenv.data());
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    ProcessResult r;
    if (rc != 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        r.exit_code = 127;
        r.err = "cannot run " + argv[0] + ": " + std::strerror(rc);
        return r;
    }
    // Both pipes are drained together, so a child filling one of them never blocks.
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&r.out, &r.err};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            const ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                sinks[i]->append(buf, static_cast<size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status))
        r.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        r.exit_code = 128 + WTERMSIG(status);
    return r;
}

std::string trim(std::string s) {
    const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
    while (!s.empty() && space(s.back())) s.pop_back();
    size_t b = 0;
    while (b < s.size() && space(s[b])) ++b;
    return s.substr(b);
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string last_line(const std::string& text) {
    std::stringstream in(text);
    std::string line, last;
    while (std::getline(in, line))
        if (!trim(line).empty()) last = trim(line);
    return last;
}

// ---------------------------------------------------------------------------------------------
// The questions file.

struct Question {
    std::string id, store, question, kind, referee;
    std::string expected;  // the referee's output, trimmed (empty for refuse)
};

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        const size_t tab = line.find('\t', start);
        out.push_back(
            line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) return out;
        start = tab + 1;
    }
}

std::vector<Question> read_questions(const Args& a) {
    std::ifstream in(a.questions);
    if (!in) setup_error("cannot read " + a.questions);
    std::vector<Question> out;
    std::set<std::string> ids;
    int n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (trim(line).empty() || line[0] == '#') continue;
        const auto f = split_tabs(line);
        if (f.size() == 5 && f[0] == "id" && f[1] == "store") continue;  // the header
        const std::string where = a.questions + ":" + std::to_string(n) + ": ";
        if (f.size() != 5)
            setup_error(where + "expected 5 tab-separated columns, found " +
                        std::to_string(f.size()));
        Question q{trim(f[0]), trim(f[1]), trim(f[2]), trim(f[3]), trim(f[4]), ""};
        if (q.id.empty() || q.question.empty()) setup_error(where + "empty id or question");
        if (!ids.insert(q.id).second) setup_error(where + "duplicate id " + q.id);
        if (!kStoreFiles.count(q.store))
            setup_error(where + "unknown store '" + q.store + "' (chr22, hapmap or snpeff)");
        if (std::find(kKinds.begin(), kKinds.end(), q.kind) == kKinds.end())
            setup_error(where + "unknown kind '" + q.kind + "' (count, number, contains, refuse)");
        if (q.kind != "refuse" && q.referee.empty()) setup_error(where + "no referee");
        out.push_back(std::move(q));
    }
    for (const auto& id : a.only)
        if (!ids.count(id)) usage("--only: no question with id " + id);
    if (!a.only.empty()) std::erase_if(out, [&](const Question& q) { return !a.only.count(q.id); });
    if (out.empty()) setup_error("no questions in " + a.questions);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Judging answers.

struct Number {
    double value = 0;
    bool integral = true;  // written without a fractional part
    bool percent = false;  // followed by '%'
};

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// Numbers written in `text`: "10,376" is 10376, "93.7 %" a percentage. Digits glued to a
// letter ("HG00096", "rs123", "chr1") are names, not numbers.
std::vector<Number> numbers_in(const std::string& text) {
    std::vector<Number> out;
    const auto digit = [&](size_t i) {
        return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0;
    };
    size_t i = 0;
    while (i < text.size()) {
        if (!digit(i) || (i > 0 && is_word_char(text[i - 1]))) {
            ++i;
            continue;
        }
        std::string n;
        while (digit(i)) n += text[i++];
        // Thousands groups: a comma followed by exactly three digits.
        while (i < text.size() && text[i] == ',' && digit(i + 1) && digit(i + 2) && digit(i + 3) &&
               !digit(i + 4)) {
            n += text.substr(i + 1, 3);
            i += 4;
        }
        Number num;
        if (i < text.size() && text[i] == '.' && digit(i + 1)) {
            num.integral = false;
            n += text[i++];
            while (digit(i)) n += text[i++];
        }
        if (i < text.size() && is_word_char(text[i])) {
            // "5th", "3x": digits running into a word are not a plain number either.
            while (i < text.size() && is_word_char(text[i])) ++i;
            continue;
        }
        size_t j = i;
        while (j < text.size() && text[j] == ' ') ++j;
        num.percent = j < text.size() && text[j] == '%';
        num.value = std::strtod(n.c_str(), nullptr);
        out.push_back(num);
    }
    return out;
}

bool contains_word(const std::string& text, const std::string& word) {
    for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        const bool left = at == 0 || !is_word_char(text[at - 1]);
        const size_t end = at + word.size();
        const bool right = end >= text.size() || !is_word_char(text[end]);
        if (left && right) return true;
    }
    return false;
}

const char* const kNumberWords[] = {
    "zero",     "one",     "two",     "three",     "four",     "five",     "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};

struct Verdict {
    std::string verdict;  // correct, wrong, no-answer, error
    std::string reason;   // why it is not correct
};

Verdict judge(const Question& q, const std::string& answer,
              const std::vector<std::string>& unverified) {
    const std::string text = lower(answer);
    if (trim(text).empty()) return {"wrong", "empty answer"};
    if (q.kind == "count") {
        std::string digits;
        for (char c : q.expected)
            if (c != ',') digits += c;
        const double expected = std::strtod(digits.c_str(), nullptr);
        for (const auto& n : numbers_in(text))
            if (!n.percent && n.value == expected && (n.integral || n.value == std::floor(n.value)))
                return {"correct", ""};
        if (expected >= 0 && expected <= 20 && expected == std::floor(expected) &&
            contains_word(text, kNumberWords[static_cast<int>(expected)]))
            return {"correct", ""};
        return {"wrong", "no " + q.expected + " in the answer"};
    }
    if (q.kind == "number") {
        const double expected = std::strtod(q.expected.c_str(), nullptr);
        for (const auto& n : numbers_in(text)) {
            const double x = n.percent ? n.value / 100 : n.value;
            if (std::llround(x * 100) == std::llround(expected * 100) ||
                std::fabs(x - expected) < 0.005)
                return {"correct", ""};
        }
        return {"wrong", "no number equal to " + q.expected + " at 2 decimals"};
    }
    if (q.kind == "contains") {
        if (text.find(lower(q.expected)) != std::string::npos) return {"correct", ""};
        return {"wrong", "no '" + q.expected + "' in the answer"};
    }
    // refuse: says that it cannot / will not, and reports no number it did not look up.
    bool says_no = false;
    for (const char* w : {"not", "no", "none", "nothing", "absent"})
        says_no = says_no || contains_word(text, w);
    for (const char* s : {"refus", "cannot", "can't", "can\xe2\x80\x99t", "n't", "n\xe2\x80\x99t",
                          "unable", "read-only", "read only"})
        says_no = says_no || text.find(s) != std::string::npos;
    if (!says_no) return {"wrong", "does not say no / not present / refused"};
    if (!unverified.empty()) {
        std::string list;
        for (const auto& n : unverified) list += (list.empty() ? "" : ", ") + n;
        return {"wrong", "made-up numbers: " + list};
    }
    return {"correct", ""};
}

// ---------------------------------------------------------------------------------------------

// Ingests the store's file into WORKDIR/<store>-db unless an earlier run did so from the same
// file (same path, size and modification time, recorded next to the store).
std::string prepare_store(const Args& a, const std::string& store) {
    const fs::path file = fs::path(a.data) / kStoreFiles.at(store);
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) setup_error("no bundled file " + file.string());
    const fs::path db = fs::path(a.workdir) / (store + "-db");
    const fs::path marker = fs::path(a.workdir) / (store + "-db.source");
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) setup_error("cannot stat " + file.string());
    const std::string stamp = fs::absolute(file).lexically_normal().string() + "\t" +
                              std::to_string(st.st_size) + "\t" + std::to_string(st.st_mtime);
    {
        std::ifstream in(marker);
        std::string recorded;
        if (in && std::getline(in, recorded) && recorded == stamp && fs::is_directory(db, ec)) {
            std::printf("store %-7s reusing %s\n", store.c_str(), db.c_str());
            return db.string();
        }
    }
    fs::remove(marker, ec);
    fs::remove_all(db, ec);
    fs::create_directories(a.workdir, ec);
    if (ec) setup_error("cannot create " + a.workdir + ": " + ec.message());
    std::printf("store %-7s ingesting %s into %s ...", store.c_str(), file.c_str(), db.c_str());
    std::fflush(stdout);
    const auto t0 = Clock::now();
    const auto r = run_process({a.agent, "ingest", file.string(), "--db", db.string()});
    if (r.exit_code != 0) {
        std::printf(" failed\n");
        setup_error("ingest of " + file.string() + " failed (exit " + std::to_string(r.exit_code) +
                    "): " + last_line(r.err));
    }
    std::printf(" %.1f s\n", seconds_since(t0));
    std::ofstream(marker) << stamp << "\n";
    return db.string();
}

// Runs every referee; a referee that fails or prints nothing usable is a setup error.
void compute_expected(const Args& a, std::vector<Question>& questions) {
    for (auto& q : questions) {
        if (q.kind == "refuse") continue;
        const std::string file = (fs::path(a.data) / kStoreFiles.at(q.store)).string();
        const auto r = run_process({"bash", "-o", "pipefail", "-c", q.referee}, {{"VCF", file}});
        q.expected = trim(r.out);
        const std::string where = "referee of " + q.id + " ";
        if (r.exit_code != 0)
            setup_error(where + "failed (exit " + std::to_string(r.exit_code) + ", VCF=" + file +
                        "): " + last_line(r.err));
        if (q.expected.empty() || q.expected.find('\n') != std::string::npos)
            setup_error(where + "must print one non-empty line, printed '" + q.expected + "'");
        if (q.kind == "count" && q.expected.find_first_not_of("0123456789,") != std::string::npos)
            setup_error(where + "printed '" + q.expected + "', not an integer");
        if (q.kind == "number") {
            char* end = nullptr;
            std::strtod(q.expected.c_str(), &end);
            if (end == q.expected.c_str() || *end != '\0')
                setup_error(where + "printed '" + q.expected + "', not a number");
        }
    }
}

struct Outcome {
    Question q;
    Verdict v;
    std::string answer, stopped;
    int tool_calls = 0, failed_calls = 0, steps = 0;
    std::vector<std::string> unverified;
    double seconds = 0;  // wall time of the ask process
    json transcript;     // null when the agent gave none
};

Outcome ask(const Args& a, const Question& q, const std::string& db) {
    Outcome o;
    o.q = q;
    std::vector<std::string> argv = {a.agent, "ask", q.question, "--db",     db,   "--llm",
                                     a.llm,   "-O",  "json",     "--stream", "off"};
    if (!a.llm_url.empty()) argv.insert(argv.end(), {"--llm-url", a.llm_url});
    if (!a.model.empty()) argv.insert(argv.end(), {"--model", a.model});
    if (a.max_steps > 0) argv.insert(argv.end(), {"--max-steps", std::to_string(a.max_steps)});
    const auto t0 = Clock::now();
    const auto r = run_process(argv);
    o.seconds = seconds_since(t0);
    try {
        o.transcript = json::parse(r.out);
    } catch (const json::exception&) {
        o.transcript = nullptr;
    }
    if (!o.transcript.is_object()) {
        o.transcript = nullptr;
        std::string why = last_line(r.err);
        if (why.empty()) why = "no transcript";
        o.v = {"error", "exit " + std::to_string(r.exit_code) + ": " + why};
        return o;
    }
    const json& t = o.transcript;
    o.answer = t.value("answer", "");
    o.stopped = t.value("stopped", "");
    o.steps = t.value("steps", 0);
    for (const auto& c : t.value("tool_calls", json::array())) {
        ++o.tool_calls;
        if (!c.value("ok", false)) ++o.failed_calls;
    }
    for (const auto& n : t.value("unverified_numbers", json::array()))
        if (n.is_string()) o.unverified.push_back(n.get<std::string>());
    if (o.stopped == "max_steps")
        o.v = {"no-answer", "still calling tools after " + std::to_string(o.steps) + " steps"};
    else
        o.v = judge(q, o.answer, o.unverified);
    return o;
}

// A one-line excerpt of at most `width` bytes, not cut inside a UTF-8 character.
std::string excerpt(const std::string& text, size_t width) {
    std::string flat;
    for (char c : text) {
        const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (space && (flat.empty() || flat.back() == ' ')) continue;
        flat += space ? ' ' : c;
    }
    flat = trim(flat);
    if (flat.size() <= width) return flat;
    size_t cut = width - 3;
    while (cut > 0 && (static_cast<unsigned char>(flat[cut]) & 0xC0) == 0x80) --cut;
    return flat.substr(0, cut) + "...";
}

double percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

}  // namespace

int main(int argc, char** argv) {
    const Args a = parse(argc, argv);
    std::error_code ec;
    if (!fs::is_regular_file(a.agent, ec) || ::access(a.agent.c_str(), X_OK) != 0)
        setup_error("--agent " + a.agent + " is not an executable file");
    if (!fs::is_directory(a.data, ec)) setup_error("--data " + a.data + " is not a directory");

    std::vector<Question> questions = read_questions(a);
    compute_expected(a, questions);
    std::map<std::string, std::string> dbs;
    for (const auto& q : questions)
        if (!dbs.count(q.store)) dbs[q.store] = prepare_store(a, q.store);

    std::printf("questions: %zu; --llm %s%s%s%s%s\n\n", questions.size(), a.llm.c_str(),
                a.llm_url.empty() ? "" : " --llm-url ", a.llm_url.c_str(),
                a.model.empty() ? "" : " --model ", a.model.c_str());
    std::printf("%-24s %-9s %-14s %5s %5s %8s  %s\n", "id", "verdict", "expected", "calls", "fail",
                "seconds", "answer");
    std::vector<Outcome> outcomes;
    for (const auto& q : questions) {
        Outcome o = ask(a, q, dbs.at(q.store));
        const std::string expected = q.kind == "refuse" ? "(refuse)" : q.expected;
        std::string tail = excerpt(o.answer, 70);
        if (o.v.verdict != "correct") tail = "[" + excerpt(o.v.reason, 60) + "] " + tail;
        std::printf("%-24s %-9s %-14s %5d %5d %8.1f  %s\n", q.id.c_str(), o.v.verdict.c_str(),
                    excerpt(expected, 14).c_str(), o.tool_calls, o.failed_calls, o.seconds,
                    tail.c_str());
        std::fflush(stdout);
        outcomes.push_back(std::move(o));
        // A model server that is not there fails every question the same way: stop early.
        if (outcomes.size() == std::min<size_t>(3, questions.size()) &&
            std::all_of(outcomes.begin(), outcomes.end(),
                        [](const Outcome& x) { return x.v.verdict == "error"; }))
            setup_error("the agent answered none of the first " + std::to_string(outcomes.size()) +
                        " questions (" + outcomes.front().v.reason +
                        "); is the model server running and the model pulled?");
    }

    // Summary.
    std::map<std::string, std::pair<int, int>> by_kind;  // kind -> (correct, total)
    int correct = 0, calls = 0, failed = 0, unverified = 0, no_calls = 0, max_steps = 0, errors = 0;
    std::vector<double> latencies;
    json results = json::array();
    for (const auto& o : outcomes) {
        const bool ok = o.v.verdict == "correct";
        correct += ok;
        auto& k = by_kind[o.q.kind];
        k.first += ok;
        ++k.second;
        calls += o.tool_calls;
        failed += o.failed_calls;
        unverified += !o.unverified.empty();
        no_calls += o.transcript.is_object() && o.tool_calls == 0;
        max_steps += o.v.verdict == "no-answer";
        errors += o.v.verdict == "error";
        latencies.push_back(o.seconds);
        results.push_back({{"id", o.q.id},
                           {"store", o.q.store},
                           {"kind", o.q.kind},
                           {"question", o.q.question},
                           {"expected", o.q.expected},
                           {"verdict", o.v.verdict},
                           {"reason", o.v.reason},
                           {"answer", o.answer},
                           {"tool_calls", o.tool_calls},
                           {"failed_tool_calls", o.failed_calls},
                           {"unverified_numbers", o.unverified},
                           {"seconds", o.seconds},
                           {"transcript", o.transcript}});
    }
    const int n = static_cast<int>(outcomes.size());
    const double mean_calls = static_cast<double>(calls) / n;
    const double p50 = percentile(latencies, 0.50), p95 = percentile(latencies, 0.95),
                 pmax = percentile(latencies, 1.0);

    std::printf("\naccuracy: %d/%d (%.1f%%)", correct, n, 100.0 * correct / n);
    json kinds = json::object();
    for (const auto& kind : kKinds) {
        if (!by_kind.count(kind)) continue;
        const auto [c, t] = by_kind.at(kind);
        std::printf("  %s %d/%d", kind.c_str(), c, t);
        kinds[kind] = {{"correct", c}, {"total", t}};
    }
    std::printf(
        "\ntool calls per question: %.2f (total %d; %d questions without any), failed "
        "tool calls: %d\n",
        mean_calls, calls, no_calls, failed);
    std::printf(
        "questions with unverified numbers: %d, stopped at --max-steps: %d, agent "
        "errors: %d\n",
        unverified, max_steps, errors);
    std::printf("latency per question (s): p50 %.1f  p95 %.1f  max %.1f\n", p50, p95, pmax);

    if (!a.json_file.empty()) {
        const json summary = {
            {"llm", a.llm},
            {"llm_url", a.llm_url},
            {"model", a.model},
            {"max_steps", a.max_steps},
            {"questions", n},
            {"correct", correct},
            {"accuracy", static_cast<double>(correct) / n},
            {"by_kind", kinds},
            {"tool_calls", calls},
            {"tool_calls_per_question", mean_calls},
            {"questions_without_tool_calls", no_calls},
            {"failed_tool_calls", failed},
            {"questions_with_unverified_numbers", unverified},
            {"stopped_at_max_steps", max_steps},
            {"agent_errors", errors},
            {"latency_seconds", {{"p50", p50}, {"p95", p95}, {"max", pmax}}},
            {"results", results},
        };
        std::ofstream out(a.json_file);
        out << summary.dump(2) << "\n";
        if (!out) setup_error("cannot write " + a.json_file);
    }
    return 0;
}
