"""Opening map pages in headless Chromium with every network request blocked (used by the page tests).

``load_page`` wraps a page with an error collector and a report script, opens it with
:data:`OFFLINE` flags (no DNS, a dead proxy), and returns what the page did: JavaScript errors and
resources that failed to load, Leaflet's panes, the layers drawn, and the tooltip/popup texts built
by the page's own code (with a count of elements injected from data strings: must be 0).
"""

from __future__ import annotations

import html
import json
import re
import time
from pathlib import Path

from conftest import run_chromium

#: Chromium flags that cut every network request: names resolve nowhere, and anything else goes to a dead proxy.
OFFLINE = ('--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost', "--proxy-server=127.0.0.1:9",
           "--proxy-bypass-list=<-loopback>", "--enable-logging=stderr", "--v=0")

_PRE = """<script>window.__errors=[];window.addEventListener("error",function(e){var t=e.target;
window.__errors.push(t&&t!==window&&(t.src||t.href)?"failed to load "+(t.src||t.href):String(e.message||e));},true);
window.__alerts=[];window.alert=function(m){window.__alerts.push(String(m));};window.__t0=performance.now();</script>"""
# Runs after the page script: reports layers, then builds every popup/tooltip with the page's own
# code into a scratch div and checks that data strings stayed text (no element was created from them).
_POST = """<script>window.__ready=performance.now();window.addEventListener("load",function(){setTimeout(function(){
var r={errors:window.__errors,alerts:window.__alerts,layers:{},ready_ms:window.__ready-window.__t0,
leaflet:typeof L!=="undefined"?L.version:null,
paths:document.querySelectorAll(".leaflet-overlay-pane path").length,
canvases:document.querySelectorAll(".leaflet-overlay-pane canvas").length,
markers:document.querySelectorAll(".leaflet-marker-pane *").length,
labels:document.querySelectorAll(".leaflet-tooltip.cov-label").length,
panes:document.querySelectorAll(".leaflet-pane").length,controls:document.querySelectorAll(".leaflet-control-layers-overlays label").length,
offline_note:!!(document.getElementById("cov-offline")&&!document.getElementById("cov-offline").hidden),
texts:[],injected:0};
var box=document.createElement("div");document.body.appendChild(box);
if(window.coverage&&window.coverage.layers){for(var k in coverage.layers){r.layers[k]=coverage.layers[k].features;
 coverage.layers[k].layer.eachLayer(function(l){[l.getPopup&&l.getPopup(),l.getTooltip&&l.getTooltip()].forEach(function(p){
  if(!p){return;}var c=p._content;var el=typeof c==="function"?c(l):c;if(typeof el==="string"){r.texts.push(el);return;}
  box.appendChild(el);r.texts.push(el.textContent);});});}}
r.injected=box.querySelectorAll("script,b,i").length;box.remove();
var pre=document.createElement("pre");pre.id="test-report";pre.style.display="none";pre.textContent=JSON.stringify(r);
document.body.appendChild(pre);},100);});</script>"""

#: Console lines of Chromium's log that are errors of the page (its own JavaScript or its resources).
_CONSOLE_ERROR = re.compile(r"Uncaught|Failed to load resource|ERR_[A-Z_]+|is not defined")


def console_errors(stderr: str) -> list[str]:
    """The page's console errors in Chromium's stderr log (``--enable-logging=stderr``)."""
    return [ln for ln in stderr.splitlines() if "CONSOLE" in ln and _CONSOLE_ERROR.search(ln)]


def load_page(page: Path, tmp: Path, *extra: str) -> dict:
    """Open ``page`` offline (wrapped with the error collector and the report) and return the report.

    The report's ``console`` lists console errors from Chromium's log; ``seconds`` is the wall time.
    """
    wrapped = page.with_name("_test_" + page.name)
    text = page.read_text(encoding="utf-8").replace("<head>", "<head>" + _PRE, 1).replace("</html>", _POST + "</html>")
    wrapped.write_text(text, encoding="utf-8")
    t0 = time.monotonic()
    proc = run_chromium(wrapped.as_uri(), tmp / f"profile-{page.stem}", *OFFLINE, *extra, "--dump-dom")
    seconds = time.monotonic() - t0
    wrapped.unlink()
    found = re.search(r'<pre id="test-report"[^>]*>(.*?)</pre>', proc.stdout, re.S)
    assert found, proc.stdout[-2000:] + proc.stderr[-2000:]
    report = json.loads(html.unescape(found.group(1)))
    report["console"] = console_errors(proc.stderr)
    report["seconds"] = seconds
    return report


def screenshot(page: Path, png: Path, tmp: Path, *, size: str = "1280,800") -> Path:
    """A screenshot of ``page`` opened offline."""
    run_chromium(page.as_uri(), tmp / f"shot-{page.stem}", *OFFLINE, f"--window-size={size}", f"--screenshot={png}")
    return png
