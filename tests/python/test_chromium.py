"""The HTML report opened in headless Chromium (Debian's chromium package), with no network
and a fresh profile: the screenshot is not blank and shows the plots' colours (the inline SVGs
were drawn), and the DOM Chromium built holds the page title and the summary table. Skipped,
saying why, only when chromium is not installed."""

import os
import shutil
import subprocess
import tempfile
import unittest

import numpy as np
import matplotlib.image as mimage

import fixtures as F
from mcrisk import html as report

CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND"]


def chromium(*args):
    profile = tempfile.mkdtemp(prefix="mcr-chromium-")
    try:
        p = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                           capture_output=True, text=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return p


@unittest.skipIf(CHROMIUM is None, "chromium is not installed (apt-get install chromium): the "
                                   "HTML report was not opened in a browser")
class Chromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.page = F.scratch("chromium_report.html")
        report.write(F.result("one"), cls.page)
        cls.url = "file://" + os.path.abspath(cls.page)

    def test_screenshot_is_not_blank(self):
        shot = F.scratch("chromium_report.png")
        p = chromium("--window-size=1280,3000", f"--screenshot={shot}", self.url)
        self.assertTrue(os.path.exists(shot), p.stderr[-2000:])
        img = mimage.imread(shot)[..., :3]
        self.assertEqual(img.shape[:2], (3000, 1280))
        ink = np.any(img < 0.9, axis=2).mean()  # pixels that are not (near) white
        self.assertGreater(ink, 0.03, f"only {ink:.2%} of the screenshot is not white")
        # The histograms' fill (#6baed6 at alpha 0.8 on white) appears only where an inline SVG
        # plot was drawn.
        fill = 0.8 * np.array([0x6b, 0xae, 0xd6]) / 255 + 0.2
        plot_px = np.all(np.abs(img - fill) < 0.06, axis=2).mean()
        self.assertGreater(plot_px, 0.002, f"{plot_px:.3%} of pixels in the plots' blue")

    def test_dom_has_title_and_table(self):
        p = chromium("--dump-dom", self.url)
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        dom = p.stdout
        self.assertIn("<title>mcrisk risk report: one.h5</title>", dom)
        self.assertIn('<table class="summary">', dom)
        self.assertIn("<th>protective_put_90</th>", dom)
        self.assertIn("<svg", dom)


if __name__ == "__main__":
    unittest.main()
