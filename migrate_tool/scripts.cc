#include "migrate_tool/scripts.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "llvm/Support/Path.h"

namespace migrate_tool {
namespace {

// One word of a command line: `raw` as written (with its quotes), `value`
// without them.
struct Token {
  size_t begin = 0;  // offset of the raw token in the text
  size_t end = 0;
  std::string value;
  char quote = 0;  // '"', '\'' or 0
};

bool IsDelimiter(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0 || c == ',' || c == '[' || c == ']';
}

// The tokens of text[begin, end).
std::vector<Token> Tokens(const std::string& text, size_t begin, size_t end) {
  std::vector<Token> out;
  size_t i = begin;
  while (i < end) {
    if (IsDelimiter(text[i])) {
      ++i;
      continue;
    }
    Token t;
    t.begin = i;
    // A quote closes on its own line, or is a plain character (an
    // apostrophe in a comment).
    const size_t line_end =
        std::min(end, text.find('\n', i) == std::string::npos ? text.size() : text.find('\n', i));
    const size_t close =
        text[i] == '"' || text[i] == '\'' ? text.find(text[i], i + 1) : std::string::npos;
    if (close != std::string::npos && close < line_end) {
      t.quote = text[i];
      t.value = text.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      ++i;
      while (i < end && !IsDelimiter(text[i]) && text[i] != '"' && text[i] != '\'') ++i;
      t.value = text.substr(t.begin, i - t.begin);
    }
    t.end = i;
    out.push_back(std::move(t));
  }
  return out;
}

struct Edit {
  size_t begin;
  size_t end;
  std::string text;
};

std::string Apply(const std::string& text, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    return a.begin != b.begin ? a.begin > b.begin : a.end > b.end;
  });
  std::string out = text;
  for (const Edit& e : edits) out.replace(e.begin, e.end - e.begin, e.text);
  return out;
}

// Line and column (1-based) of `offset`.
std::pair<unsigned, unsigned> Position(const std::string& text, size_t offset) {
  const unsigned line = 1 + static_cast<unsigned>(std::count(
                                text.begin(), text.begin() + static_cast<long>(offset), '\n'));
  const size_t start = offset == 0 ? std::string::npos : text.rfind('\n', offset - 1);
  const unsigned column =
      static_cast<unsigned>(start == std::string::npos ? offset + 1 : offset - start);
  return {line, column};
}

ScriptSite MakeSite(const std::string& text, size_t offset, const std::string& rule, bool manual,
                    const std::string& reason, const std::string& step) {
  ScriptSite site;
  std::tie(site.line, site.column) = Position(text, offset);
  site.rule = rule;
  site.manual = manual;
  site.reason = reason;
  site.step = step;
  return site;
}

// The line ranges [begin, end) of `text`.
std::vector<std::pair<size_t, size_t>> Lines(const std::string& text) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    out.emplace_back(begin, end);
    begin = end + 1;
  }
  return out;
}

bool IsComment(const std::string& text, std::pair<size_t, size_t> line) {
  size_t i = line.first;
  while (i < line.second && std::isspace(static_cast<unsigned char>(text[i])) != 0) ++i;
  return i < line.second && text[i] == '#';
}

// The indentation of a YAML block-list item line ("  - x" -> 2), or -1.
int ItemIndent(const std::string& text, std::pair<size_t, size_t> line) {
  size_t i = line.first;
  while (i < line.second && text[i] == ' ') ++i;
  if (i + 1 < line.second && text[i] == '-' && text[i + 1] == ' ') {
    return static_cast<int>(i - line.first);
  }
  return -1;
}

// 0.16 -> 0.17: renamed flags and environment variables, token by token.
ScriptResult Step016(const std::string& text) {
  ScriptResult r;
  std::vector<Edit> edits;
  const std::string step = "0.16->0.17";
  std::vector<Token> tokens;
  for (const auto& line : Lines(text)) {
    if (IsComment(text, line)) continue;
    std::vector<Token> more = Tokens(text, line.first, line.second);
    tokens.insert(tokens.end(), more.begin(), more.end());
  }
  for (const Token& t : tokens) {
    const size_t at = t.begin + (t.quote != 0 ? 1 : 0);
    const size_t len = t.value.size();
    auto replace_value = [&](const std::string& value) { edits.push_back({at, at + len, value}); };
    if (t.value == "--epoch-interval") {
      replace_value("--snapshot-interval");
    } else if (t.value.rfind("--epoch-interval=", 0) == 0) {
      replace_value("--snapshot-interval=" + t.value.substr(17));
    } else if (t.value == "--sqlite-directory" || t.value.rfind("--sqlite-directory=", 0) == 0) {
      replace_value(t.value == "--sqlite-directory" ? "-r"
                                                    : "--recovery-directory=" + t.value.substr(19));
      r.sites.push_back(MakeSite(text, t.begin, "script-sqlite-directory", false, "", step));
      r.sites.push_back(MakeSite(
          text, t.begin, "script-recovery-init", true,
          "v0.17 does not create the recovery partitions: run `bazel run //sdk:recovery -- DIR "
          "N` once before the first run (N partitions, e.g. the worker count)",
          step));
      continue;
    } else {
      // Environment variables (`ENV X`, `X=...`, `name: X`, `$X`).
      for (const auto& [old_name, new_name] :
           {std::pair<std::string, std::string>{"BYTEWAX_EPOCH_INTERVAL",
                                                "BYTEWAX_SNAPSHOT_INTERVAL"},
            {"BYTEWAX_SQLITE_DIRECTORY", "BYTEWAX_RECOVERY_DIRECTORY"}}) {
        size_t pos = t.value.find(old_name);
        const bool word_end =
            pos != std::string::npos &&
            (pos + old_name.size() == t.value.size() ||
             (std::isalnum(static_cast<unsigned char>(t.value[pos + old_name.size()])) == 0 &&
              t.value[pos + old_name.size()] != '_'));
        const bool word_begin = pos == 0 || (pos != std::string::npos &&
                                             (t.value[pos - 1] == '$' || t.value[pos - 1] == '{'));
        if (word_begin && word_end) {
          edits.push_back({at + pos, at + pos + old_name.size(), new_name});
          r.sites.push_back(MakeSite(text, at + pos, "script-env-rename", false, "", step));
        }
      }
      continue;
    }
    r.sites.push_back(MakeSite(text, t.begin, "script-epoch-interval", false, "", step));
  }
  r.text = Apply(text, edits);
  return r;
}

// Commands whose `-r` is not bytewax's.
bool IsOtherCommand(const std::string& word) {
  static const std::set<std::string> kOthers = {
      "rm",  "cp",   "mv",  "grep", "egrep", "fgrep", "ls",   "chmod", "chown", "chgrp", "rsync",
      "scp", "diff", "tar", "find", "zip",   "unzip", "sort", "du",    "mkdir", "ln",    "xargs"};
  return kOthers.count(word) != 0;
}

// A short flag with its value attached, as argparse reads it ("-r/var/db",
// "-s5"): `flag` is "-r", "-s", ...
bool IsAttachedShort(const std::string& word, const char* flag) {
  return word.size() > 2 && word.compare(0, 2, flag) == 0 && word[2] != '-';
}

// 0.17 -> 0.18: `-r DIR` without -s/-b gets v0.17's defaults written out.
ScriptResult Step017(const std::string& text) {
  ScriptResult r;
  std::vector<Edit> edits;
  const std::string step = "0.17->0.18";
  const std::vector<std::pair<size_t, size_t>> lines = Lines(text);
  size_t i = 0;
  while (i < lines.size()) {
    // A command: a line and its `\` continuations, or a YAML block list.
    size_t j = i;
    const int indent = ItemIndent(text, lines[i]);
    if (indent >= 0) {
      while (j + 1 < lines.size() && ItemIndent(text, lines[j + 1]) == indent) ++j;
    } else {
      while (j + 1 < lines.size()) {
        llvm::StringRef line(text.data() + lines[j].first, lines[j].second - lines[j].first);
        if (!line.rtrim().ends_with("\\")) break;
        ++j;
      }
    }
    const size_t begin = lines[i].first;
    const size_t end = lines[j].second;
    const size_t first = i;
    i = j + 1;
    if (IsComment(text, lines[first])) continue;
    std::vector<Token> tokens = Tokens(text, begin, end);
    if (indent >= 0) {
      // The `-` item markers of a block list are not words of the command.
      tokens.erase(std::remove_if(tokens.begin(), tokens.end(),
                                  [](const Token& t) { return t.quote == 0 && t.value == "-"; }),
                   tokens.end());
    }
    int dir_flag = -1;
    bool has_s = false;
    bool has_b = false;
    bool bytewax = false;
    bool other = false;
    for (size_t k = 0; k < tokens.size(); ++k) {
      const std::string& v = tokens[k].value;
      if ((v == "-r" || IsAttachedShort(v, "-r") || v == "--recovery-directory" ||
           v.rfind("--recovery-directory=", 0) == 0) &&
          dir_flag < 0) {
        dir_flag = static_cast<int>(k);
      }
      if (v == "-s" || IsAttachedShort(v, "-s") || v == "--snapshot-interval" ||
          v.rfind("--snapshot-interval=", 0) == 0) {
        has_s = true;
      }
      if (v == "-b" || IsAttachedShort(v, "-b") || v == "--backup-interval" ||
          v.rfind("--backup-interval=", 0) == 0) {
        has_b = true;
      }
      if (v.rfind("--recovery-directory", 0) == 0 || v == "-w" || IsAttachedShort(v, "-w") ||
          v == "-i" || IsAttachedShort(v, "-i") || v == "-a" || v == "-s" ||
          IsAttachedShort(v, "-s") || v == "-b" || IsAttachedShort(v, "-b") ||
          v.rfind("--workers-per-process", 0) == 0 || v.rfind("--process-id", 0) == 0 ||
          v.rfind("--addresses", 0) == 0 || v.rfind("--snapshot-interval", 0) == 0 ||
          v.rfind("--backup-interval", 0) == 0) {
        bytewax = true;
      }
      if (IsOtherCommand(llvm::sys::path::filename(v).str())) other = true;
    }
    if (dir_flag < 0 || (has_s && has_b) || other) continue;
    const Token& flag = tokens[static_cast<size_t>(dir_flag)];
    if (!bytewax) {
      r.sites.push_back(MakeSite(
          text, flag.begin, "script-snapshot-defaults", true,
          "cannot tell whether this `-r` is a bytewax program's: if it is, add `-s 10 -b 86400` "
          "(v0.17's defaults; v0.18 requires both with -r)",
          step));
      continue;
    }
    const bool inline_value =
        flag.value.rfind("--recovery-directory=", 0) == 0 || IsAttachedShort(flag.value, "-r");
    if (!inline_value && static_cast<size_t>(dir_flag) + 1 >= tokens.size()) {
      r.sites.push_back(MakeSite(text, flag.begin, "script-snapshot-defaults", true,
                                 "no directory after -r: add `-s 10 -b 86400` by hand", step));
      continue;
    }
    const Token& value = inline_value ? flag : tokens[static_cast<size_t>(dir_flag) + 1];
    std::vector<std::string> words;
    if (!has_s) words.insert(words.end(), {"-s", "10"});
    if (!has_b) words.insert(words.end(), {"-b", "86400"});
    const std::string q = value.quote != 0 ? std::string(1, value.quote) : "";
    std::string insert;
    size_t at = value.end;
    if (indent >= 0) {
      // Block list: one item per word, after the value's line.
      at = text.find('\n', value.end);
      if (at == std::string::npos) at = text.size();
      const std::string item = "\n" + std::string(static_cast<size_t>(indent), ' ') + "- " + q;
      for (const std::string& w : words) insert.append(item).append(w).append(q);
    } else {
      size_t next = value.end;
      while (next < end && text[next] == ' ') ++next;
      const bool listed = next < end && (text[next] == ',' || text[next] == ']');
      const std::string before = (listed ? ", " : " ") + q;
      for (const std::string& w : words) insert.append(before).append(w).append(q);
    }
    edits.push_back({at, at, insert});
    r.sites.push_back(MakeSite(text, flag.begin, "script-snapshot-defaults", false, "", step));
  }
  r.text = Apply(text, edits);
  return r;
}

}  // namespace

bool IsScriptFile(llvm::StringRef path) {
  const llvm::StringRef name = llvm::sys::path::filename(path);
  const llvm::StringRef ext = llvm::sys::path::extension(path);
  return ext == ".sh" || ext == ".bash" || ext == ".yaml" || ext == ".yml" ||
         ext == ".dockerfile" || ext == ".Dockerfile" || name == "Dockerfile" ||
         name.starts_with("Dockerfile.");
}

ScriptResult MigrateScript(const std::string& text, bool from_016, bool to_018) {
  ScriptResult result{text, {}};
  if (from_016) result = Step016(result.text);
  if (to_018) {
    ScriptResult next = Step017(result.text);
    result.text = std::move(next.text);
    result.sites.insert(result.sites.end(), next.sites.begin(), next.sites.end());
  }
  return result;
}

}  // namespace migrate_tool
