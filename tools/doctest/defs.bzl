# File: tools/doctest/defs.bzl
#
# doc_test: every ```cpp block of a markdown page is a complete program that
# Bazel compiles (so caching and --config=asan/ubsan apply) and runs; if the
# first fenced block after it is ```text, that is its exact expected stdout.
#
#   load("//tools/doctest:defs.bzl", "doc_test")
#   doc_test(
#       name = "getting_started",
#       src = "getting-started.md",
#       blocks = 2,                              # must equal the page's count
#       deps = ["//sdk"],                        # default for every block
#       block_deps = {2: ["//compat/v0_17"]},    # per block (1-based)
#       data = ["//testdata/wordcount:wordcount.txt"],  # files the blocks read
#       block_args = {3: ["-w", "2"]},           # command line of a block
#       migrate = {2: "0.17"},                   # Before blocks the tool upgrades
#       migrate_expect = {2: 3},                 # ... into exactly block 3's code
#   )
#
# Blocks run in the runfiles root, so they open a `data` file by its
# workspace path ("testdata/wordcount/wordcount.txt"), under `bazel test`
# and `bazel run //docs:<name>_block<i>` alike.
#
# Info-string annotations, which the tests check against the BUILD file:
#   ```cpp deps=//compat/v0_17[,//other]   block compiled against these deps
#                                          instead of `deps` (needs the same
#                                          entry in block_deps)
#   ```cpp compile-only                    built but not run
#   ```cpp args=-w,2                       run as `block -w 2` (needs the
#                                          same entry in block_args)
#
# migrate = {i: "0.17"} runs `//migrate_tool --from=0.17` on block i (a
# Before block of the migration guide), builds the result against //sdk
# and checks that it prints the block's own ```text output: the tool's
# upgrade of the page's legacy code works. Targets <name>_block<i>_migrated
# (cc_binary; its source <name>_block<i>_migrated.cc holds the upgrade)
# and <name>_block<i>_migrated_test. migrate_expect = {i: j} also checks
# that the upgrade of block i is, byte for byte, the code of block j
# (<name>_block<i>_migrated_text_test), so a page can show the tool's
# output verbatim. The tool's input file is named <name>_block<i>.cc,
# which is where its generated flow id comes from.
#
# Generates, per block i: <name>_block<i> (cc_binary), <name>_block<i>_test
# (runs it and diffs stdout); plus <name>_count_test (the page has exactly
# `blocks` cpp blocks) and a test_suite <name> holding them all.

EXTRACT = "//tools/doctest:extract.awk"
MIGRATE_TOOL = "//migrate_tool"

def _extract(name, src, mode, block, out):
    native.genrule(
        name = name,
        srcs = [src],
        outs = [out],
        tools = [EXTRACT],
        cmd = "awk -v mode=%s -v block=%d -f $(location %s) $(location %s) > $@" % (
            mode,
            block,
            EXTRACT,
            src,
        ),
        message = "Extracting %s of block %d of %s" % (mode, block, src),
    )

def doc_test(
        name,
        src,
        blocks,
        deps = ["//sdk"],
        block_deps = {},
        block_args = {},
        migrate = {},
        migrate_expect = {},
        data = [],
        copts = [],
        tags = [],
        visibility = None):
    for what, table in [("block_deps", block_deps), ("block_args", block_args), ("migrate", migrate), ("migrate_expect", migrate_expect)]:
        for b in table:
            if b < 1 or b > blocks:
                fail("%s: %s has block %d, page has blocks 1..%d" % (name, what, b, blocks))
    tests = []
    for i in range(1, blocks + 1):
        base = "%s_block%d" % (name, i)
        _extract(base + "_src", src, "code", i, base + ".cc")
        _extract(base + "_expected", src, "expected", i, base + ".expected")
        _extract(base + "_info", src, "info", i, base + ".info")
        native.cc_binary(
            name = base,
            srcs = [base + ".cc"],
            deps = block_deps.get(i, deps),
            data = data,
            copts = copts,
            tags = tags,
            visibility = visibility,
        )
        native.sh_test(
            name = base + "_test",
            size = "small",
            srcs = ["//tools/doctest:run_block.sh"],
            args = [
                "$(rootpath :%s)" % base,
                "$(rootpath :%s.expected)" % base,
                "$(rootpath :%s.info)" % base,
                # Bazel tokenizes args like a shell and drops empty ones.
                "deps=" + ",".join(block_deps.get(i, [])),
                "%s/%s#block%d" % (native.package_name(), src, i),
                "args=" + ",".join(block_args.get(i, [])),
            ] + block_args.get(i, []),
            data = [
                ":" + base,
                base + ".expected",
                base + ".info",
            ] + data,
            tags = tags,
        )
        tests.append(base + "_test")
    for i, version in migrate.items():
        base = "%s_block%d" % (name, i)
        native.genrule(
            name = base + "_migrated_src",
            srcs = [base + ".cc"],
            outs = [
                base + "_migrated.cc",
                base + "_migrated.summary",
            ],
            tools = [MIGRATE_TOOL],
            # The tool edits in place: give it a copy outside the source tree.
            cmd = " && ".join([
                "d=$$(mktemp -d)",
                "cp $(location %s.cc) $$d/%s.cc" % (base, base),
                "if ! $(location %s) --from=%s --allow-dirty --no-progress $$d/%s.cc 2>$$d/summary; then cat $$d/summary >&2; exit 1; fi" % (MIGRATE_TOOL, version, base),
                "cp $$d/%s.cc $(location %s_migrated.cc)" % (base, base),
                "cp $$d/summary $(location %s_migrated.summary)" % base,
                "rm -rf $$d",
            ]),
            message = "Migrating block %d of %s from %s" % (i, src, version),
        )
        native.cc_binary(
            name = base + "_migrated",
            srcs = [base + "_migrated.cc"],
            deps = deps,
            data = data,
            copts = copts,
            tags = tags,
            visibility = visibility,
        )
        native.sh_test(
            name = base + "_migrated_test",
            size = "small",
            srcs = ["//tools/doctest:run_block.sh"],
            args = [
                "$(rootpath :%s_migrated)" % base,
                "$(rootpath :%s.expected)" % base,
                "$(rootpath :%s.info)" % base,
                # The annotation names the Before block's layer; the
                # migrated program is built against `deps`.
                "deps=" + ",".join(block_deps.get(i, [])),
                "%s/%s#block%d(migrated-from-%s)" % (native.package_name(), src, i, version),
                "args=" + ",".join(block_args.get(i, [])),
            ] + block_args.get(i, []),
            data = [
                ":" + base + "_migrated",
                base + ".expected",
                base + ".info",
                base + "_migrated.summary",
            ] + data,
            tags = tags,
        )
        tests.append(base + "_migrated_test")
        if i in migrate_expect:
            want = "%s_block%d" % (name, migrate_expect[i])
            native.sh_test(
                name = base + "_migrated_text_test",
                size = "small",
                srcs = ["//tools/doctest:diff_files.sh"],
                args = [
                    "$(rootpath %s.cc)" % want,
                    "$(rootpath %s_migrated.cc)" % base,
                    "%s/%s#block%d" % (native.package_name(), src, migrate_expect[i]),
                ],
                data = [
                    want + ".cc",
                    base + "_migrated.cc",
                ],
                tags = tags,
            )
            tests.append(base + "_migrated_text_test")
    for i in migrate_expect:
        if i not in migrate:
            fail("%s: migrate_expect has block %d, which is not in migrate" % (name, i))
    native.sh_test(
        name = name + "_count_test",
        size = "small",
        srcs = ["//tools/doctest:count_blocks.sh"],
        args = [
            "$(rootpath %s)" % EXTRACT,
            "$(rootpath %s)" % src,
            str(blocks),
        ],
        data = [
            EXTRACT,
            src,
        ],
        tags = tags,
    )
    tests.append(name + "_count_test")
    native.test_suite(
        name = name,
        tests = tests,
        tags = tags,
        visibility = visibility,
    )
