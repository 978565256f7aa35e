#pragma once
// A `vcf-agent serve` running in the background for a test: started on a free port (the
// server writes it to a port file), stopped with SIGTERM and reaped at destruction.
#include <sys/types.h>

#include <string>
#include <vector>

namespace vcfagent::test {

class ServerProcess {
  public:
    // `args` follow `vcf-agent serve` (--listen 127.0.0.1:0 and --port-file are added). Waits
    // until the server listens; throws with its stderr if it exits first or takes too long.
    explicit ServerProcess(const std::vector<std::string>& args);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    // Sends SIGTERM and waits up to `seconds`; returns the exit status (128+signal when it
    // had to be killed, -1 when already reaped).
    int terminate(double seconds = 10);
    // What the server wrote to stderr so far.
    std::string log() const;

  private:
    pid_t pid_ = -1;
    int port_ = 0;
    std::string dir_;  // port file and stderr log
};

}  // namespace vcfagent::test
