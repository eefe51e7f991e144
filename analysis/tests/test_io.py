"""Tests for gigsim_analysis.io: a run file written by the real C++ writer when GIGSIM_TEST_RUN_FILE
names one, else a minimal file in the documented layout built here with h5py.

    build/release/analysis-env/bin/python3 analysis/tests/test_io.py   (the installed package)
"""

import json
import os
import tempfile
import unittest

import h5py
import numpy as np

from gigsim_analysis.io import expand_inputs, open_run, printable, same_file


GROUPS = {"platform_only": 0, "coop_member": 1, "platform_coop_member": 2, "pooled_worker": 3,
          "wise_employee": 4}


def write_minimal(path, file_type="gigsim-run", version=2):
    with h5py.File(path, "w") as f:
        f.attrs["file_type"] = file_type
        f.attrs["format_version"] = np.int32(version)
        f.attrs["seed"] = np.uint64(42)
        f.attrs["scenario_yaml"] = "seed: 42\n"
        f.attrs["scenario_hash"] = "0123456789abcdef0123456789abcdef"
        f.attrs["label"] = "fee 5%"
        f.attrs["complete"] = np.uint8(0)
        f.attrs["platform_names"] = ["gigly", "drivers_coop"]
        s = f.create_group("series")
        s["step"] = np.arange(8, dtype=np.int64)
        s["client_paid"] = np.arange(8, dtype=np.float64) * 1.5
        s["client_paid"].attrs["units"] = "EUR"
        p = f.create_group("panel")
        p["net_income"] = np.ones((2, 3), dtype=np.float32)
        w = f.create_group("workers")
        w.attrs["poverty_line"] = 600.0
        w["income_cv"] = np.array([0.1, 0.2], dtype=np.float32)
        w.create_dataset("group", data=np.array([0, 1], dtype=np.uint8),
                         dtype=h5py.enum_dtype(GROUPS, basetype="u1"))
        g = f.create_group("summary/groups")
        g["group"] = np.array(["all", "platform_only", "coop_member"], dtype=h5py.string_dtype())
        g["workers"] = np.array([2, 1, 1], dtype=np.uint32)


class OpenRunTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "run.h5")

    def tearDown(self):
        self.dir.cleanup()

    def test_reads_minimal_layout(self):
        write_minimal(self.path)
        run = open_run(self.path)
        self.assertEqual(run.attrs["seed"], 42)
        self.assertEqual(run.attrs["scenario_yaml"], "seed: 42\n")
        self.assertEqual(run.platform_names, ["gigly", "drivers_coop"])
        np.testing.assert_array_equal(run.series["client_paid"], np.arange(8) * 1.5)
        self.assertEqual(run.units["series/client_paid"], "EUR")
        self.assertEqual(run.panel["net_income"].shape, (2, 3))
        self.assertEqual(run.workers_attrs["poverty_line"], 600.0)
        self.assertEqual(run.groups["group"], ["all", "platform_only", "coop_member"])
        self.assertEqual(run.categories["workers/group"], list(GROUPS))
        self.assertEqual((run.scenario_hash, run.label, run.complete),
                         ("0123456789abcdef0123456789abcdef", "fee 5%", False))

    def test_rejects_other_file_type_naming_the_file(self):
        write_minimal(self.path, file_type="something-else")
        with self.assertRaisesRegex(ValueError, "run.h5: not a gigsim run file"):
            open_run(self.path)

    def test_rejects_other_format_versions(self):
        write_minimal(self.path, version=3)
        with self.assertRaisesRegex(ValueError, "run.h5: .*format version 3"):
            open_run(self.path)
        write_minimal(self.path, version=1)
        with self.assertRaisesRegex(ValueError, "run.h5: .*version 1 .*older gigsim"):
            open_run(self.path)

    def test_non_hdf5_file_names_the_file(self):
        with open(self.path, "w") as out:
            out.write("not hdf5")
        with self.assertRaisesRegex(OSError, "run.h5"):
            open_run(self.path)

    def test_fifo_device_and_directory_are_refused_without_blocking(self):
        fifo = os.path.join(self.dir.name, "pipe.h5")
        os.mkfifo(fifo)
        for path, message in [(fifo, "pipe.h5: is not a regular file"),
                              ("/dev/zero", "/dev/zero: is not a regular file"),
                              (self.dir.name, "is a directory, not a gigsim run file")]:
            with self.assertRaisesRegex(ValueError, message):
                open_run(path)  # a FIFO would block h5py forever

    def test_printable_escapes_terminal_controls(self):
        self.assertEqual(printable("run\x1b]0;x\x07.h5: bad\x9b"), "run\\x1B]0;x\\x07.h5: bad\\x9B")
        self.assertEqual(printable("Göteborg\ttab\nline"), "Göteborg\ttab\nline")

    def test_same_file_compares_identity(self):
        write_minimal(self.path)
        link = os.path.join(self.dir.name, "link.h5")
        os.symlink(self.path, link)
        self.assertTrue(same_file(self.path, link))
        self.assertFalse(same_file(self.path, os.path.join(self.dir.name, "other.h5")))
    def test_a_replication_folder_opens_to_the_files_of_its_manifest(self):
        folder = os.path.join(self.dir.name, "runs")
        os.mkdir(folder)
        for name in ("rep000.h5", "rep001.h5"):
            write_minimal(os.path.join(folder, name))
        manifest = {"file_type": "gigsim-replications", "format_version": 1,
                    "runs": [{"file": "rep000.h5"}, {"file": "rep001.h5"}]}
        with open(os.path.join(folder, "manifest.json"), "w") as f:
            json.dump(manifest, f)
        self.assertEqual(expand_inputs([folder, self.path]),
                         [os.path.join(folder, "rep000.h5"), os.path.join(folder, "rep001.h5"),
                          self.path])
        os.remove(os.path.join(folder, "rep001.h5"))
        with self.assertRaisesRegex(ValueError, "rep001.h5.*missing"):
            expand_inputs(folder)
        with self.assertRaisesRegex(ValueError, "without manifest.json"):
            expand_inputs(self.dir.name)

    @unittest.skipUnless(os.environ.get("GIGSIM_TEST_RUN_FILE"), "GIGSIM_TEST_RUN_FILE not set")
    def test_reads_file_from_cpp_writer(self):
        run = open_run(os.environ["GIGSIM_TEST_RUN_FILE"])
        self.assertIn("step", run.series)
        self.assertEqual(len(run.series["step"]), run.attrs["weeks"])
        self.assertEqual(len(run.workers["group"]), run.attrs["workers"])
        self.assertEqual(run.units["series/worker_net_pay"], "EUR")
        self.assertEqual(run.categories["workers/group"][:2], ["platform_only", "coop_member"])
        self.assertEqual(run.groups["group"][0], "all")


if __name__ == "__main__":
    unittest.main()
