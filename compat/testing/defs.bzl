"""Output tests of legacy programs and of their v0.18 twins.

    legacy_program(name, api, expected, args = [], data = [])
        cc_binary `name` from `name`.cc against //compat/v0_<api> (built
        with BYTEWAX_NO_DEPRECATION_WARNINGS, to keep build logs readable;
        //compat/compile_fail checks the warnings), and sh_test
        `name`_test: its stdout must equal `expected`.
    differential_test(name, legacy, twin, expected, args = [], data = [])
        sh_test running the legacy binary and its hand-written v0.18 twin
        with the same `args`: both must print exactly `expected`.

In `args`, @TMP@ is a fresh scratch directory per program run.
"""

_COMPARE = Label("//compat/testing:compare_output_test.sh")

_LAYERS = {
    "0.10": Label("//compat/v0_10"),
    "0.11": Label("//compat/v0_11"),
    "0.16": Label("//compat/v0_16"),
    "0.17": Label("//compat/v0_17"),
}

def legacy_program(name, api, expected, args = [], data = [], deps = []):
    native.cc_binary(
        name = name,
        srcs = [name + ".cc"],
        copts = ["-DBYTEWAX_NO_DEPRECATION_WARNINGS"],
        deps = [str(_LAYERS[api])] + deps,
    )
    native.sh_test(
        name = name + "_test",
        size = "small",
        srcs = [str(_COMPARE)],
        args = ["$(rootpath %s)" % expected, "--", "$(rootpath :%s)" % name] + args,
        data = [expected, ":" + name] + data,
    )

def differential_test(name, legacy, twin, expected, args = [], data = []):
    native.sh_test(
        name = name,
        size = "small",
        srcs = [str(_COMPARE)],
        args = ["$(rootpath %s)" % expected] +
               ["--", "$(rootpath %s)" % legacy] + args +
               ["--", "$(rootpath %s)" % twin] + args,
        data = [expected, legacy, twin] + data,
    )
