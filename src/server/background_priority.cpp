#include "server/background_priority.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

namespace vcfagent::server {

bool run_in_background(const char* what) {
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kBackgroundNiceness) == 0)
        return true;
    spdlog::warn("{} run at the requests' priority (setpriority failed)", what);
    return false;
}

}  // namespace vcfagent::server
