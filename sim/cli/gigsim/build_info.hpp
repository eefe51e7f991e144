#pragma once

namespace gigsim {
const char* version();     // project version, e.g. "0.1.0"
const char* git_commit();  // commit the binary was built from ("-dirty" if modified), or "unknown"
}  // namespace gigsim
