#include "support/test_env.hpp"

#include <htslib/bgzf.h>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

extern char** environ;

namespace vcfagent::test {

std::string data_path(const std::string& name) {
    return std::string(VCF_AGENT_TEST_DATA) + "/" + name;
}
std::string agent_binary() {
    return VCF_AGENT_BIN;
}
std::string generator_binary() {
    return VCF_GENERATE_BIN;
}

namespace {

std::vector<std::string> agent_argv(const std::vector<std::string>& args) {
    std::vector<std::string> argv{agent_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

// A null-terminated argv for posix_spawn, pointing into `argv` (which must outlive it).
std::vector<char*> exec_argv(const std::vector<std::string>& argv) {
    std::vector<char*> out;
    for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
    out.push_back(nullptr);
    return out;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text) {
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
        posix_spawn_file_actions_addclose(&fa, fd);
    std::vector<char*> args = exec_argv(argv);
    pid_t pid;
    const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(in_pipe[1]);
        close(out_pipe[0]);
        close(err_pipe[0]);
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
    CommandResult result;
    size_t written = 0;
    fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
    if (stdin_text.empty()) close(in_pipe[1]), in_pipe[1] = -1;
    bool out_open = true, err_open = true;
    char buf[65536];
    while (out_open || err_open) {
        pollfd fds[3];
        int n = 0;
        if (out_open) fds[n++] = {out_pipe[0], POLLIN, 0};
        if (err_open) fds[n++] = {err_pipe[0], POLLIN, 0};
        if (in_pipe[1] >= 0) fds[n++] = {in_pipe[1], POLLOUT, 0};
        if (poll(fds, n, -1) < 0) continue;
        for (int i = 0; i < n; ++i) {
            if (!fds[i].revents) continue;
            if (fds[i].fd == in_pipe[1]) {
                ssize_t w =
                    write(in_pipe[1], stdin_text.data() + written, stdin_text.size() - written);
                if (w > 0) written += static_cast<size_t>(w);
                if (w < 0 || written == stdin_text.size()) close(in_pipe[1]), in_pipe[1] = -1;
                continue;
            }
            ssize_t r = read(fds[i].fd, buf, sizeof buf);
            if (r <= 0) {
                close(fds[i].fd);
                (fds[i].fd == out_pipe[0] ? out_open : err_open) = false;
            } else {
                (fds[i].fd == out_pipe[0] ? result.out : result.err)
                    .append(buf, static_cast<size_t>(r));
            }
        }
    }
    if (in_pipe[1] >= 0) close(in_pipe[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

CommandResult run_shell(const std::string& command_line) {
    return run_command({"/bin/sh", "-c", command_line});
}

void bgzip_bytes(const std::string& data, const std::string& path) {
    BGZF* fp = bgzf_open(path.c_str(), "w");
    if (!fp) throw std::runtime_error("cannot create " + path);
    const bool written =
        bgzf_write(fp, data.data(), data.size()) == static_cast<ssize_t>(data.size());
    if (bgzf_close(fp) != 0 || !written) throw std::runtime_error("cannot write " + path);
}

std::map<std::string, int64_t> store_counts(const std::string& db) {
    auto r = run_agent({"stats", "--db", db, "-O", "json"});
    if (r.exit_code != 0)
        throw std::runtime_error("vcf-agent stats --db " + db + " failed: " + r.err);
    std::map<std::string, int64_t> out;
    for (const auto& row : nlohmann::json::parse(r.out)) out[row["table"]] = row["count"];
    return out;
}

bool run_agent_killed_after(const std::vector<std::string>& args, double seconds) {
    const std::vector<std::string> argv = agent_argv(args);
    std::vector<char*> cargs = exec_argv(argv);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    const int rc = posix_spawn(&pid, cargs[0], &fa, nullptr, cargs.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        if (waitpid(pid, &status, WNOHANG) == pid) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

CommandResult run_agent(const std::vector<std::string>& args, const std::string& stdin_text) {
    return run_command(agent_argv(args), stdin_text);
}

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("vcf-agent-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}
TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

void write_more_carriers_chr22(const std::string& path) {
    const std::string first = data_path("chr22.vcf.gz");
    auto hom_ref_to = [](const char* gt) {
        return std::string(
                   " | awk -F'\\t' -v OFS='\\t' '{for (i = 10; i <= NF; i++) sub(/^0\\|0/, "
                   "\"") +
               gt + "\", $i); print}'";
    };
    const auto made = run_shell("(bcftools view -h " + first + " && bcftools view -H " + first +
                                " | head -800" + hom_ref_to("0|1") + " && bcftools view -H " +
                                first + " | sed -n '801,3000p' && bcftools view -H " + first +
                                " | head -800" + hom_ref_to("1|1") + ") > " + path);
    if (made.exit_code != 0 || run_shell("grep -vc '^#' " + path).out != "3800\n")
        throw std::runtime_error("could not write " + path + ": " + made.err);
}

void write_file(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace vcfagent::test
