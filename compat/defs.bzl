"""legacy_cc_library: legacy bytewax code in binaries that mix API versions.

A legacy layer's headers have the same include paths as the v0.18 SDK's
("bytewax/dataflow.h"). The umbrella targets //compat/v0_17 etc. export
their include root, which is what a standalone legacy program wants; in a
binary that also holds v0.18 code (or code of another legacy version) that
root would reach every source file. legacy_cc_library gives the layer's
include root to its own sources only (as `-iquote` copts, which win over
every exported `-I` root for `#include "..."`), and depends on the layer's
`:headers` target, which exports none:

    load("//compat:defs.bzl", "legacy_cc_library")

    legacy_cc_library(
        name = "old_flow",
        srcs = ["old_flow.cc"],   # #include "bytewax/dataflow.h" -> v0.17's
        hdrs = ["old_flow.h"],    # must not include bytewax headers
        api = "0.17",
    )

    cc_binary(
        name = "app",
        srcs = ["app.cc"],        # #include "bytewax/dataflow.h" -> v0.18's
        deps = [":old_flow", "//sdk"],
    )

Legacy sources must include the layer's headers with quotes, as the API
documents (`#include "bytewax/dataflow.h"`). The library's own `hdrs` are
seen by its dependents, so they must not include bytewax headers.
"""

# api -> the layer's non-exporting target. Label() resolves these in this
# file's repository, so the macro also works from another workspace that
# names this one as a local_repository.
_LAYERS = {
    "0.10": Label("//compat/v0_10:headers"),
    "0.11": Label("//compat/v0_11:headers"),
    "0.16": Label("//compat/v0_16:headers"),
    "0.17": Label("//compat/v0_17:headers"),
}

# Versions the API names (API.md section 1a) whose layers are not built yet.
_PLANNED = {}

def _include_root(layer):
    """The layer's include root, relative to the execution root."""
    if layer.workspace_root:
        return layer.workspace_root + "/" + layer.package
    return layer.package

def legacy_cc_library(
        name,
        srcs,
        hdrs = [],
        deps = [],
        api = "0.16",
        deprecation_warnings = True,
        copts = [],
        **kwargs):
    """A cc_library of legacy code compiled against one legacy API layer.

    Args:
      name: the target name.
      srcs: legacy sources; `#include "bytewax/..."` finds the layer's headers.
      hdrs: the library's own headers; seen by dependents, so they must not
        include bytewax headers.
      deps: other dependencies.
      api: the legacy API version: "0.10", "0.11", "0.16" or "0.17".
      deprecation_warnings: False defines BYTEWAX_NO_DEPRECATION_WARNINGS for
        these sources, silencing the warnings on every legacy name.
      copts: more compiler options.
      **kwargs: passed on to cc_library (visibility, testonly, ...).
    """
    if api not in _LAYERS:
        if api in _PLANNED:
            fail(("legacy_cc_library(name = \"%s\"): api = \"%s\": the v%s layer (%s) is not " +
                  "built yet; available: %s") % (
                name,
                api,
                api,
                _PLANNED[api],
                ", ".join(sorted(_LAYERS.keys())),
            ))
        fail("legacy_cc_library(name = \"%s\"): unknown api = \"%s\"; use one of %s" % (
            name,
            api,
            ", ".join(sorted(_LAYERS.keys() + _PLANNED.keys())),
        ))
    layer = _LAYERS[api]
    root = _include_root(layer)
    layer_copts = [
        "-iquote",
        root,
        "-iquote",
        "$(GENDIR)/" + root,
    ]
    if not deprecation_warnings:
        layer_copts.append("-DBYTEWAX_NO_DEPRECATION_WARNINGS")
    native.cc_library(
        name = name,
        srcs = srcs,
        hdrs = hdrs,
        deps = deps + [str(layer)],
        copts = copts + layer_copts,
        **kwargs
    )
