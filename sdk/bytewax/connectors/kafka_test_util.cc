#include "sdk/bytewax/connectors/kafka_test_util.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

extern char** environ;

namespace bytewax_kafka_test {
namespace {

// Spawns argv with pipes for stdin/stdout/stderr (fds[0..2], the parent's
// ends; fds[2] may be -1 when stderr is inherited).
pid_t Spawn(const std::vector<std::string>& argv, int fds[3], bool capture_stderr) {
  int in[2], out[2], err[2] = {-1, -1};
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 ||
      (capture_stderr && ::pipe2(err, O_CLOEXEC) != 0)) {
    throw std::runtime_error(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  if (capture_stderr) posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  if (capture_stderr) ::close(err[1]);
  if (rc != 0) {
    ::close(in[1]);
    ::close(out[0]);
    if (capture_stderr) ::close(err[0]);
    throw std::runtime_error(absl::StrCat("cannot run ", argv[0], ": ", std::strerror(rc)));
  }
  fds[0] = in[1];
  fds[1] = out[0];
  fds[2] = capture_stderr ? err[0] : -1;
  return pid;
}

int WaitStatus(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input,
                         absl::Duration timeout) {
  ::signal(SIGPIPE, SIG_IGN);
  int fds[3];
  const pid_t pid = Spawn(argv, fds, /*capture_stderr=*/true);
  CommandResult result;
  std::size_t written = 0;
  if (input.empty()) {
    ::close(fds[0]);
    fds[0] = -1;
  }
  const absl::Time deadline = absl::Now() + timeout;
  bool timed_out = false;
  while (fds[1] >= 0 || fds[2] >= 0) {
    pollfd p[3];
    int n = 0;
    int which[3];
    if (fds[0] >= 0) {
      p[n] = {fds[0], POLLOUT, 0};
      which[n++] = 0;
    }
    for (int i = 1; i < 3; ++i) {
      if (fds[i] >= 0) {
        p[n] = {fds[i], POLLIN, 0};
        which[n++] = i;
      }
    }
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      timed_out = true;
      break;
    }
    const int ready = ::poll(p, n, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready < 0 && errno != EINTR) break;
    for (int k = 0; k < n; ++k) {
      if (p[k].revents == 0) continue;
      const int i = which[k];
      if (i == 0) {
        const ssize_t w = ::write(fds[0], input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        if (w < 0 || written == input.size()) {
          ::close(fds[0]);
          fds[0] = -1;
        }
      } else {
        char buf[65536];
        const ssize_t r = ::read(fds[i], buf, sizeof(buf));
        if (r > 0) {
          (i == 1 ? result.out : result.err).append(buf, static_cast<std::size_t>(r));
        } else if (r == 0 || errno != EINTR) {
          ::close(fds[i]);
          fds[i] = -1;
        }
      }
    }
  }
  for (int fd : fds) {
    if (fd >= 0) ::close(fd);
  }
  if (timed_out) ::kill(pid, SIGKILL);
  const int status = WaitStatus(pid);
  result.status = timed_out ? -1 : status;
  return result;
}

MockBroker::MockBroker(const std::vector<std::string>& topics, const std::string& binary) {
  std::vector<std::string> argv = {binary};
  argv.insert(argv.end(), topics.begin(), topics.end());
  int fds[3];
  pid_ = Spawn(argv, fds, /*capture_stderr=*/false);
  stdin_fd_ = fds[0];
  std::string line;
  char c;
  while (::read(fds[1], &c, 1) == 1 && c != '\n') line.push_back(c);
  ::close(fds[1]);
  if (line.empty()) {
    ::kill(pid_, SIGKILL);
    WaitStatus(pid_);
    ::close(stdin_fd_);
    throw std::runtime_error(absl::StrCat("mock broker ", binary, " printed no address"));
  }
  bootstrap_ = line;
}

MockBroker::~MockBroker() {
  ::close(stdin_fd_);
  for (int i = 0; i < 100; ++i) {
    int status;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) return;
    ::usleep(20000);
  }
  ::kill(pid_, SIGKILL);
  WaitStatus(pid_);
}

void KcatProduce(const std::string& bootstrap, const std::string& topic,
                 const std::vector<std::string>& lines, int partition, bool keyed) {
  std::vector<std::string> argv = {"kcat", "-b", bootstrap, "-t", topic, "-P"};
  if (keyed) argv.emplace_back("-K:");
  if (partition >= 0) {
    argv.emplace_back("-p");
    argv.push_back(absl::StrCat(partition));
  }
  const CommandResult r = RunCommand(argv, absl::StrCat(absl::StrJoin(lines, "\n"), "\n"));
  if (r.status != 0) {
    throw std::runtime_error(absl::StrCat("kcat produce failed (", r.status, "): ", r.err));
  }
}

std::vector<std::string> KcatConsume(const std::string& bootstrap, const std::string& topic,
                                     const std::string& format) {
  const CommandResult r = RunCommand(
      {"kcat", "-b", bootstrap, "-t", topic, "-C", "-e", "-q", "-f", format + "\\n"}, "");
  if (r.status != 0) {
    throw std::runtime_error(absl::StrCat("kcat consume failed (", r.status, "): ", r.err));
  }
  std::vector<std::string> lines = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  return lines;
}

}  // namespace bytewax_kafka_test
