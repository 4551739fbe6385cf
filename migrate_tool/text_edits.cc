#include "migrate_tool/text_edits.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace migrate_tool {
namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start + 1));
    start = nl + 1;
  }
  return lines;
}

// One run of differing lines: before[a, a + na) became after[b, b + nb).
struct Change {
  size_t a, na, b, nb;
};

// Line diff by longest common subsequence on the differing middle (the
// tool's edits are few and local, so the middle stays small), after
// stripping the common prefix and suffix.
std::vector<Change> DiffLines(const std::vector<std::string>& x, const std::vector<std::string>& y) {
  size_t pre = 0;
  while (pre < x.size() && pre < y.size() && x[pre] == y[pre]) ++pre;
  size_t suf = 0;
  while (suf < x.size() - pre && suf < y.size() - pre &&
         x[x.size() - 1 - suf] == y[y.size() - 1 - suf]) {
    ++suf;
  }
  const size_t n = x.size() - pre - suf;
  const size_t m = y.size() - pre - suf;
  std::vector<Change> changes;
  if (n == 0 && m == 0) return changes;
  if (n * m > 4000000) {  // Too big for the table: one change.
    changes.push_back({pre, n, pre, m});
    return changes;
  }
  std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = x[pre + i] == y[pre + j] ? lcs[i + 1][j + 1] + 1
                                           : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  size_t i = 0;
  size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[pre + i] == y[pre + j]) {
      ++i;
      ++j;
      continue;
    }
    Change c{pre + i, 0, pre + j, 0};
    while ((i < n || j < m) && !(i < n && j < m && x[pre + i] == y[pre + j])) {
      if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
        ++i;
        ++c.na;
      } else {
        ++j;
        ++c.nb;
      }
    }
    changes.push_back(c);
  }
  return changes;
}

void AppendLine(std::string* out, char mark, const std::string& line) {
  *out += mark;
  *out += line;
  if (line.empty() || line.back() != '\n') *out += "\n\\ No newline at end of file\n";
}

std::string Range(size_t start, size_t count) {
  // Unified diff numbers lines from 1; an empty range names the line before.
  const size_t first = count == 0 ? start : start + 1;
  return std::to_string(first) + "," + std::to_string(count);
}

}  // namespace

std::string UnifiedDiff(const std::string& label, const std::string& before,
                        const std::string& after) {
  if (before == after) return "";
  const std::vector<std::string> x = SplitLines(before);
  const std::vector<std::string> y = SplitLines(after);
  const std::vector<Change> changes = DiffLines(x, y);
  constexpr size_t kContext = 3;
  const std::string sep = !label.empty() && label[0] == '/' ? "" : "/";
  std::string out = "--- a" + sep + label + "\n+++ b" + sep + label + "\n";
  size_t k = 0;
  while (k < changes.size()) {
    // Group changes whose contexts touch into one hunk.
    size_t last = k;
    while (last + 1 < changes.size() &&
           changes[last + 1].a <= changes[last].a + changes[last].na + 2 * kContext) {
      ++last;
    }
    const size_t a0 = changes[k].a >= kContext ? changes[k].a - kContext : 0;
    const size_t delta = changes[k].a - a0;
    const size_t b0 = changes[k].b - delta;
    const size_t a_end = std::min(x.size(), changes[last].a + changes[last].na + kContext);
    const size_t b_end = b0 + (a_end - a0) + [&] {
      long d = 0;
      for (size_t c = k; c <= last; ++c) {
        d += static_cast<long>(changes[c].nb) - static_cast<long>(changes[c].na);
      }
      return d;
    }();
    out += "@@ -" + Range(a0, a_end - a0) + " +" + Range(b0, b_end - b0) + " @@\n";
    size_t a = a0;
    for (size_t c = k; c <= last; ++c) {
      for (; a < changes[c].a; ++a) AppendLine(&out, ' ', x[a]);
      for (size_t t = 0; t < changes[c].na; ++t) AppendLine(&out, '-', x[changes[c].a + t]);
      for (size_t t = 0; t < changes[c].nb; ++t) AppendLine(&out, '+', y[changes[c].b + t]);
      a = changes[c].a + changes[c].na;
    }
    for (; a < a_end; ++a) AppendLine(&out, ' ', x[a]);
    k = last + 1;
  }
  return out;
}

bool WriteAtomically(const std::string& path, const std::string& content, std::string* error) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  std::string tmpl = dir + "/.migrate_tool.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = mkstemp(name.data());
  if (fd < 0) {
    *error = "cannot create a temporary file in " + dir + ": " + std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    fchmod(fd, st.st_mode & 07777);
  } else {
    fchmod(fd, 0644);
  }
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = "cannot write " + path + ": " + std::strerror(errno);
      close(fd);
      unlink(name.data());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    unlink(name.data());
    return false;
  }
  if (rename(name.data(), path.c_str()) != 0) {
    *error = "cannot replace " + path + ": " + std::strerror(errno);
    unlink(name.data());
    return false;
  }
  return true;
}

}  // namespace migrate_tool
