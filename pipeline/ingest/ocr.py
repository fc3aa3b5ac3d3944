"""Scanned pages and images → blocks, through the tesseract CLI (`-l vie`, TSV word boxes).

Each page is rendered in gray, deskewed, and OCRed by its own tesseract process; the
processes run side by side, each limited to one thread (OMP_THREAD_LIMIT=1): on two cores
one thread a page took 2.4 s where tesseract's default threads took 10.4 s. Tesseract's
lines become the same `layout.Run`s a text PDF gives, so one geometry parts the columns.
"""
from __future__ import annotations

import csv
import io
import os
import re
import statistics
import subprocess
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image, ImageOps

from pipeline.errors import ConversionError, CorruptFile, EmptyDocument, TooLarge
from pipeline.ingest import layout
from pipeline.ingest.layout import Page, Run
from pipeline.model import IngestedDocument

# Measured on the 11 dev scan pages (200-dpi scans): rendered at 200 dpi the body text
# matches the .docx at 0.998-1.000 in 0.96 s a page; at 300 dpi at 0.998-1.000 (mean word
# confidence +1) in 1.46 s a page. Rendering above the scan's own resolution adds no detail.
DPI = 200
MAX_PIXELS = 100_000_000          # larger images are refused (decompression bombs)
TIMEOUT_S = 120                   # per page
LANG = "vie"
MIN_WORD_CONF = 20                # below this tesseract is reading a stamp, a signature, a speck
SIGNATURE_MIN_CONF = 60           # the second pass over a sealed signature reads strokes as words
GARBLED_REREADS = 4               # stretches of junk words read again alone, per page
GARBLED_MIN_CONF = 70             # …and kept only when the second reading is this sure
GARBLED_WORD_CONF = 50            # words this doubtful run on a stretch of junk around a worse one
SPECK_MAX_CONF = 70               # a run of one or two characters below this is a speck
MIXED_SIZE_RATIO = 1.25           # x-heights this far apart on one tesseract line: two columns' type
NOI_NHAN = re.compile(r"^\s*N[ơo]i\s+nh[ậa]n", re.IGNORECASE)
MAX_SKEW_DEG = 6.0
# A page fed sideways or upside down: measured on the 11 dev scan pages, upright, the ink's
# row profile is 4.4-11.9 times as peaked as its column profile and a quarter turn brings
# that to 0.08-0.23; upright pages read at a mean word confidence of 91-96, upside down at 45.
# Either sign asks tesseract's orientation detection (OSD, ~0.6 s a page) which way is up.
SIDEWAYS_RATIO = 0.5
UPRIGHT_MIN_CONF = 70
OSD_MIN_CONF = 2.0                # tesseract's orientation confidence, below which it is a guess

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def read(data: bytes, path: str) -> IngestedDocument:
    """An image file (PNG, JPEG, TIFF with one or more pages…) → blocks."""
    try:
        img = Image.open(io.BytesIO(data))
        img.load()  # decode now: a truncated file fails here, as CorruptFile
        frames = []
        for k in range(getattr(img, "n_frames", 1)):
            img.seek(k)
            img.load()
            if img.width * img.height > MAX_PIXELS:
                raise TooLarge(path, f"image is {img.width}x{img.height} pixels, over {MAX_PIXELS:,}")
            dpi = img.info.get("dpi", (0, 0))[0] or 0
            # scanners write their resolution; a missing or absurd one is taken as 300
            dpi = float(dpi) if 100 <= float(dpi) <= 1200 else 300.0
            frames.append((k + 1, _gray(img), 72.0 / dpi))
    except Image.DecompressionBombError as e:
        raise TooLarge(path, f"image exceeds {MAX_PIXELS:,} pixels") from e
    except (OSError, SyntaxError, ValueError) as e:
        raise CorruptFile(path, f"image cannot be decoded: {e}") from e
    pages, warnings = ocr_images(frames, path)
    blocks = layout.runs_to_blocks(pages)
    if not blocks:
        raise EmptyDocument(path, "OCR found no text in the image")
    return IngestedDocument.from_blocks(blocks, source_path=path, sha256="", format="image",
                                        media_type=Image.MIME.get(img.format or "", ""),
                                        pages=len(frames), warnings=warnings)


def ocr_pdf_pages(pdf, indices: list[int], path: str, dpi: int = DPI) -> tuple[list[Page], list[str]]:
    """Render the given 0-based pages of an open pdfium document and OCR them.

    Rendering stays in this thread (pdfium is not thread-safe); only tesseract runs in parallel.
    """
    frames = []
    for i in indices:
        page = pdf[i]
        try:
            w, h = page.get_size()
            if (w * dpi / 72) * (h * dpi / 72) > MAX_PIXELS:
                raise TooLarge(path, f"page {i + 1} would render to over {MAX_PIXELS:,} pixels")
            bitmap = page.render(scale=dpi / 72)
            frames.append((i + 1, _gray(bitmap.to_pil()), 72.0 / dpi))
        finally:
            page.close()
    return ocr_images(frames, path, dpi=dpi)


def ocr_images(frames: list[tuple[int, Image.Image, float]], path: str,
               dpi: int | None = None) -> tuple[list[Page], list[str]]:
    """OCR (page number, gray image, points per pixel) frames in parallel; pages in order."""
    workers = max(1, min(len(frames), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda f: _ocr_frame(*f, path=path, dpi=dpi), frames))
    warnings = [w for _, w in results if w]
    return [p for p, _ in results], warnings


def _gray(img: Image.Image) -> Image.Image:
    img = ImageOps.exif_transpose(img) if img.format == "JPEG" else img
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        bg = Image.new("RGBA", img.size, "white")
        img = Image.alpha_composite(bg, img)
    if img.mode == "L":
        return img
    # the brightest channel: black print stays black, a red seal or a blue signature drawn
    # across the signer's name turns pale and stops hiding the letters under it
    rgb = np.asarray(img.convert("RGB"))
    return Image.fromarray(rgb.max(axis=2))


def estimate_skew(img: Image.Image) -> float:
    """Skew angle in degrees (counter-clockwise positive) from the projection profile.

    Rotating the ink of a downscaled, binarised page by the right angle lines the text rows up,
    which makes the row histogram most peaked (largest variance); coarse then fine search.
    """
    small = img.copy()
    small.thumbnail((1000, 1000))
    a = np.asarray(small, dtype=np.uint8)
    ys, xs = np.nonzero(a < 128)
    if len(xs) < 100:
        return 0.0
    if len(xs) > 60000:
        pick = np.random.default_rng(0).choice(len(xs), 60000, replace=False)
        ys, xs = ys[pick], xs[pick]
    xs = xs - a.shape[1] / 2.0
    ys = ys.astype(float)
    offset = a.shape[1] + a.shape[0]

    def score(deg: float) -> float:
        t = np.deg2rad(deg)
        proj = ys * np.cos(t) + xs * np.sin(t)
        # 2-pixel bins: finer ones favour 0° because unrotated pixel rows fall on bin edges
        hist = np.bincount(((proj + offset) / 2).astype(int))
        return float((hist.astype(float) ** 2).sum())

    best = max(np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 0.01, 0.5), key=score)
    best = max(np.arange(best - 0.5, best + 0.51, 0.05), key=score)
    return float(best)


def deskew(img: Image.Image) -> tuple[Image.Image, float]:
    angle = estimate_skew(img)
    if abs(angle) < 0.05:
        return img, 0.0
    return img.rotate(-angle, resample=Image.BICUBIC, expand=False, fillcolor=255), angle


def _ocr_frame(page_no: int, img: Image.Image, scale: float, *, path: str,
               dpi: int | None) -> tuple[Page, str | None]:
    turned = 0
    if is_sideways(img):
        turned = _osd_turn(img, scale)
        if turned not in (90, 270):
            turned = 0
        img = _turn(img, turned)
    img, _ = deskew(img)
    tsv = _tesseract(img, scale, psm=3, path=path, page_no=page_no)
    confidence = mean_confidence(tsv)
    if confidence < UPRIGHT_MIN_CONF:
        # upside down, or a quarter turn the profile missed: read it the way OSD says is up
        more = _osd_turn(img, scale)
        if more:
            again = _turn(img, more)
            tsv_again = _tesseract(again, scale, psm=3, path=path, page_no=page_no)
            if mean_confidence(tsv_again) > confidence:
                img, tsv, turned = again, tsv_again, (turned + more) % 360
    tsv = _reread_garbled(img, tsv, scale, path, page_no)
    runs = tsv_to_runs(tsv, page_no, scale)
    runs = _recover_signature(img, runs, page_no, scale, path)
    page = Page(number=page_no, width=img.width * scale, height=img.height * scale, runs=runs)
    notes = [f"page {page_no}: turned {turned}° clockwise to read it (scanned {_FED[turned]})"] if turned else []
    if not runs:
        notes.append(f"page {page_no}: OCR found no text")
    return page, "; ".join(notes) or None


_FED = {90: "lying on its left side", 180: "upside down", 270: "lying on its right side"}


def is_sideways(img: Image.Image) -> bool:
    """Text lines run down the page: the ink's column profile is more peaked than its rows'."""
    small = img.copy()
    small.thumbnail((1000, 1000))
    ink = np.asarray(small, dtype=np.uint8) < 128
    if ink.sum() < 100:
        return False

    def peaked(profile: np.ndarray) -> float:
        profile = profile.astype(float)
        return float(profile.var() / max(profile.mean(), 1e-9) ** 2)

    return peaked(ink.sum(axis=1)) < SIDEWAYS_RATIO * peaked(ink.sum(axis=0))


def mean_confidence(tsv: str) -> float:
    """Mean confidence of the words of a tesseract TSV (0 when it read none)."""
    confs = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "5" and (row.get("text") or "").strip():
            try:
                confs.append(float(row["conf"]))
            except (TypeError, ValueError):
                continue
    return sum(confs) / len(confs) if confs else 0.0


def _turn(img: Image.Image, clockwise: int) -> Image.Image:
    return img.rotate(-clockwise, expand=True, fillcolor=255) if clockwise % 360 else img


def _osd_turn(img: Image.Image, scale: float) -> int:
    """How far to turn the page clockwise to stand it up (0, 90, 180, 270), by tesseract's
    orientation and script detection; 0 when it cannot tell (too few letters, low confidence)."""
    buf = io.BytesIO()
    img.save(buf, format="PPM")
    cmd = ["tesseract", "stdin", "stdout", "--psm", "0", "-l", "osd", "--dpi", str(int(round(72.0 / scale)))]
    try:
        proc = subprocess.run(cmd, input=buf.getvalue(), capture_output=True, timeout=TIMEOUT_S,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except (OSError, subprocess.TimeoutExpired):
        return 0
    out = proc.stdout.decode("utf-8", "replace")
    rotate = re.search(r"^Rotate:\s*(\d+)", out, re.MULTILINE)
    conf = re.search(r"^Orientation confidence:\s*([\d.]+)", out, re.MULTILINE)
    if proc.returncode != 0 or not rotate or not conf or float(conf.group(1)) < OSD_MIN_CONF:
        return 0
    return int(rotate.group(1)) % 360


def tsv_to_runs(tsv: str, page_no: int, scale: float) -> list[Run]:
    """Tesseract TSV → one run per tesseract line, cut where words stand over an em apart."""
    lines: dict[tuple, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            level = int(row["level"])
            key = (row["block_num"], row["par_num"], row["line_num"])
            box = [int(row[k]) for k in ("left", "top", "width", "height")]
            conf = float(row["conf"])
        except (KeyError, TypeError, ValueError):
            continue
        if level == 5 and (row.get("text") or "").strip() and conf >= MIN_WORD_CONF:
            lines.setdefault(key, []).append({"text": row["text"].strip(), "box": box, "conf": conf})
    runs = []
    for key, words in lines.items():
        words.sort(key=lambda w: w["box"][0])
        em = float(np.median([w["box"][3] for w in words]))
        size = em * scale
        # tesseract may run two header columns into one line; their gap dwarfs the line's
        # word spacing, however justified (the lower median: in a line of a few words the
        # gap itself would raise the median; and no word space is three ems wide)
        gaps = [b["box"][0] - a["box"][0] - a["box"][2] for a, b in zip(words, words[1:])]
        cut = min(max(3 * float(statistics.median_low(gaps)), 0.8 * em), 3 * em) if gaps else 0
        group: list[dict] = []
        for w in words:
            if group and w["box"][0] - sum(group[-1]["box"][0:3:2]) > cut:
                runs.append(_run(group, page_no, scale, size))
                group = []
            group.append(w)
        if group:
            runs.append(_run(group, page_no, scale, size))
    return [r for r in runs if any(c.isalnum() for c in r.text) and not _speck(r)]


def _speck(run: Run) -> bool:
    """A run of one or two characters tesseract doubts, standing apart from any line: a speck
    of dust or a stroke of the seal read as `ì`, `5` or `VN` (words of a line are in its run)."""
    return sum(c.isalnum() for c in run.text) <= 2 and (run.conf or 0) < SPECK_MAX_CONF


def _run(words: list[dict], page_no: int, scale: float, size: float) -> Run:
    x0 = min(w["box"][0] for w in words)
    y0 = min(w["box"][1] for w in words)
    x1 = max(w["box"][0] + w["box"][2] for w in words)
    y1 = max(w["box"][1] + w["box"][3] for w in words)
    return Run(text=" ".join(w["text"] for w in words), x0=x0 * scale, y0=y0 * scale, x1=x1 * scale,
               y1=y1 * scale, page=page_no, size=round(size, 1),
               conf=sum(w["conf"] for w in words) / len(words), words=len(words))


def _tesseract(img: Image.Image, scale: float, *, psm: int, path: str, page_no: int) -> str:
    """One tesseract process on one image, one thread (two pages at once beat one page with
    two threads), TSV out."""
    buf = io.BytesIO()
    img.save(buf, format="PPM")  # PGM: no compression to spend time on
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cmd = ["tesseract", "stdin", "stdout", "-l", LANG, "--psm", str(psm),
           "--dpi", str(int(round(72.0 / scale))), "tsv"]
    try:
        proc = subprocess.run(cmd, input=buf.getvalue(), capture_output=True, env=env, timeout=TIMEOUT_S)
    except FileNotFoundError as e:
        raise ConversionError(path, "tesseract is not installed (needed to OCR a scanned page)") from e
    except subprocess.TimeoutExpired as e:
        raise ConversionError(path, f"tesseract timed out after {TIMEOUT_S} s on page {page_no}",
                              transient=True) from e
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConversionError(path, f"tesseract failed on page {page_no}: {err[-1] if err else proc.returncode}")
    return proc.stdout.decode("utf-8", "replace")


def _recover_signature(img: Image.Image, runs: list[Run], page_no: int, scale: float, path: str) -> list[Run]:
    """Read the signature column again when the page pass found nothing in it.

    A seal and a pen stroke across the signer's title and name make tesseract's page
    layout analysis (psm 3) take that corner for a picture and skip it; the same corner
    read as one block of text (psm 6) gives the title and the name. Only pages with a
    `Nơi nhận` and an empty right side beside and under it pay for the second pass.
    """
    heading = [r for r in runs if NOI_NHAN.match(r.text)]
    if not heading:
        return runs
    em = heading[0].size or 12.0
    top = max(0.0, heading[0].y0 - 3 * em)
    middle = img.width * scale / 2
    beside = [r for r in runs if r.x0 >= middle and r.y0 >= top]
    if sum(r.words for r in beside) >= 3:
        return runs
    box = (int(middle / scale), int(top / scale), img.width, img.height)
    tsv = _tesseract(img.crop(box), scale, psm=6, path=path, page_no=page_no)
    found = []
    for r in tsv_to_runs(tsv, page_no, scale):
        if (r.conf or 0) < SIGNATURE_MIN_CONF or sum(c.isalpha() for c in r.text) < 3:
            continue  # strokes of the seal and the signature read as letters
        dx, dy = box[0] * scale, box[1] * scale
        run = Run(text=r.text, x0=r.x0 + dx, y0=r.y0 + dy, x1=r.x1 + dx, y1=r.y1 + dy, page=r.page,
                  size=r.size, bold=r.bold, conf=r.conf, words=r.words)
        # a signature set above `Nơi nhận` was read by the page pass already: not twice
        if not any(_overlap(run, other) for other in runs):
            found.append(run)
    return runs + found


def _overlap(a: Run, b: Run) -> bool:
    """Two runs that cover mostly the same stretch of the page."""
    return _mostly_same((a.x0, a.y0, a.x1, a.y1), (b.x0, b.y0, b.x1, b.y1))


def _mostly_same(a: tuple, b: tuple) -> bool:
    """Two boxes (x0, y0, x1, y1) each overlapping the other over half its width and height."""
    across = min(a[2], b[2]) - max(a[0], b[0])
    down = min(a[3], b[3]) - max(a[1], b[1])
    return across > 0.5 * min(a[2] - a[0], b[2] - b[0]) and down > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _reread_garbled(img: Image.Image, tsv: str, scale: float, path: str, page_no: int) -> str:
    """Read again, alone, a stretch of words tesseract could not read in its line.

    A small `- GD, các PGĐ Sở;` set on the same baseline as a large bold `CHÁNH VĂN PHÒNG`
    in the other column is read as one line, and the small words come out as junk with a
    confidence of 0. Cropped on its own and read as one line (psm 7) it reads cleanly. Only
    text-like stretches (wider than tall, line-high) are tried, a few per page; a seal or a
    signature read again stays below the confidence floor and is dropped as before.
    """
    rows = list(csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))
    groups: list[list[dict]] = []
    prev_key = None
    for row in rows:
        try:
            if row["level"] != "5" or not (row.get("text") or "").strip():
                prev_key = None
                continue
            conf = float(row["conf"])
        except (KeyError, TypeError, ValueError):
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        if conf < GARBLED_WORD_CONF:
            if groups and prev_key == key and groups[-1][-1] is not None:
                groups[-1].append(row)
            else:
                groups.append([row])
            prev_key = key
        else:
            prev_key = None
    # a stretch of doubtful words is junk when one of them is too doubtful to keep
    groups = [g for g in groups if any(float(r["conf"]) < MIN_WORD_CONF for r in g)]
    sides = _small_sides(rows)
    in_sides = {id(r) for side in sides for r in side}
    groups = sides + [g for g in groups if not all(id(r) in in_sides for r in g)]
    extra = []
    for group in [g for g in groups if _text_like(g)][:GARBLED_REREADS]:
        x0 = min(int(r["left"]) for r in group)
        y0 = min(int(r["top"]) for r in group)
        x1 = max(int(r["left"]) + int(r["width"]) for r in group)
        y1 = max(int(r["top"]) + int(r["height"]) for r in group)
        pad = max(4, (y1 - y0) // 3)
        # a full line-height either side: a leading `-` is often the first junk character
        box = (max(0, x0 - 3 * pad), max(0, y0 - pad), min(img.width, x1 + 3 * pad), min(img.height, y1 + pad))
        again = list(csv.DictReader(io.StringIO(_tesseract(img.crop(box), scale, psm=7, path=path, page_no=page_no)),
                                    delimiter="\t", quoting=csv.QUOTE_NONE))
        words = [r for r in again if r.get("level") == "5" and (r.get("text") or "").strip()]
        if not words or sum(float(r["conf"]) for r in words) / len(words) < GARBLED_MIN_CONF:
            continue
        for r in group:
            r["conf"] = "-1"  # the junk reading is replaced by the one below
        tag = f"reread{len(extra)}-{group[0]['block_num']}"   # one line for the whole stretch
        kept = [r for r in rows if r.get("level") == "5" and (r.get("text") or "").strip()
                and _float(r.get("conf")) >= MIN_WORD_CONF]
        for r in words:
            word = {**r, "block_num": tag, "par_num": group[0]["par_num"], "line_num": group[0]["line_num"],
                    "left": str(int(r["left"]) + box[0]), "top": str(int(r["top"]) + box[1])}
            # the crop may hold words the page pass read already (tesseract can read one line
            # twice, as a line and as junk under it): of two readings of a word, the surer
            same = [k for k in kept if _same_place(k, word)]
            if same and max(_float(k["conf"]) for k in same) >= _float(word["conf"]):
                continue
            for k in same:
                k["conf"] = "-1"
            extra.append(word)
    if not extra:
        return tsv
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()), delimiter="\t", quoting=csv.QUOTE_NONE,
                            escapechar="\\")
    writer.writeheader()
    writer.writerows(rows + extra)
    return out.getvalue()


def _small_sides(rows: list[dict]) -> list[list[dict]]:
    """The smaller type of a line tesseract ran across two columns (`- Như trên;` in 12 pt
    beside a bold `PHÓ CHỦ TỊCH` in 14 pt), when it doubts a word of it: that side is read
    with the other side's x-height and comes out as junk (`= Nhĩ tiện;`)."""
    lines: dict[tuple, list[dict]] = {}
    for row in rows:
        if row.get("level") == "5" and (row.get("text") or "").strip() and _float(row.get("conf")) >= 0:
            lines.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(row)
    out = []
    for words in lines.values():
        words.sort(key=lambda r: int(r["left"]))
        if len(words) < 3:
            continue
        gap, cut = max((int(b["left"]) - int(a["left"]) - int(a["width"]), i + 1)
                       for i, (a, b) in enumerate(zip(words, words[1:])))
        sides = words[:cut], words[cut:]
        heights = [[int(r["height"]) for r in side if any(c.isalpha() for c in r["text"])] for side in sides]
        if not all(heights) or gap < 3 * statistics.median(heights[0] + heights[1]):
            continue
        small, large = sorted(zip(map(statistics.median, heights), range(2)))
        side = sides[small[1]]
        if large[0] >= MIXED_SIZE_RATIO * small[0] and any(_float(r["conf"]) < GARBLED_WORD_CONF for r in side):
            out.append(side)
    return out


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return -1.0


def _same_place(a: dict, b: dict) -> bool:
    """Two word boxes of a TSV that cover mostly the same stretch of one line."""
    def box(r: dict) -> tuple:
        x, y, w, h = (int(r[k]) for k in ("left", "top", "width", "height"))
        return x, y, x + w, y + h
    return _mostly_same(box(a), box(b))


def _text_like(group: list[dict]) -> bool:
    x0 = min(int(r["left"]) for r in group)
    x1 = max(int(r["left"]) + int(r["width"]) for r in group)
    height = max(int(r["height"]) for r in group)
    return 8 <= height <= 80 and (x1 - x0) >= 4 * height
