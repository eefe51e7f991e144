# The Python analysis package (analysis/), installed into a virtual environment in the build
# folder over Debian's Python (scripts/install-analysis.sh: no registry, nothing downloaded).
# `gigsim report` and `gigsim export` run GIGSIM_ANALYSIS_PYTHON (GIGSIM_REPORT_PYTHON if set at
# configure time, else the build's analysis-env; overridable at run time by the
# GIGSIM_PYTHON environment variable); the Python tests run with it too.
set(GIGSIM_PYTHON_BASE "/usr/bin/python3" CACHE FILEPATH
    "Python with Debian's h5py, pandas, matplotlib, scipy, jinja2 and ruamel.yaml")
set(GIGSIM_REPORT_PYTHON "" CACHE FILEPATH
    "Interpreter that has gigsim_analysis installed (default: the build folder's analysis-env)")
option(GIGSIM_ANALYSIS_ENV "Install gigsim_analysis into BUILD/analysis-env at build time" ON)

if(GIGSIM_ANALYSIS_ENV)
  set(_gigsim_env "${CMAKE_BINARY_DIR}/analysis-env")
  file(GLOB_RECURSE _gigsim_analysis_sources CONFIGURE_DEPENDS
       "${PROJECT_SOURCE_DIR}/analysis/gigsim_analysis/*.py"
       "${PROJECT_SOURCE_DIR}/analysis/gigsim_analysis/templates/*")
  add_custom_command(
    OUTPUT "${_gigsim_env}/installed.stamp"
    COMMAND bash "${PROJECT_SOURCE_DIR}/scripts/install-analysis.sh" "${_gigsim_env}"
            "${GIGSIM_PYTHON_BASE}"
    COMMAND ${CMAKE_COMMAND} -E touch "${_gigsim_env}/installed.stamp"
    DEPENDS ${_gigsim_analysis_sources} "${PROJECT_SOURCE_DIR}/analysis/pyproject.toml"
            "${PROJECT_SOURCE_DIR}/scripts/install-analysis.sh"
    COMMENT "Installing gigsim_analysis into ${_gigsim_env}"
    VERBATIM)
  add_custom_target(gigsim_analysis_env ALL DEPENDS "${_gigsim_env}/installed.stamp")
endif()

if(GIGSIM_REPORT_PYTHON)
  set(GIGSIM_ANALYSIS_PYTHON "${GIGSIM_REPORT_PYTHON}")
elseif(GIGSIM_ANALYSIS_ENV)
  set(GIGSIM_ANALYSIS_PYTHON "${_gigsim_env}/bin/python3")
else()
  set(GIGSIM_ANALYSIS_PYTHON "${GIGSIM_PYTHON_BASE}")
endif()
