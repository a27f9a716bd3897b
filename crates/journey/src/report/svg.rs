//! Small hand-written SVG plots: horizontal bar charts, histograms and
//! log-log line plots. Enough for the tour's figures without a plotting
//! dependency; each function returns a complete standalone SVG document.

use std::fmt::Write as _;

use super::escape;

const FONT: &str = "font-family=\"sans-serif\" font-size=\"12\"";
const TITLE_FONT: &str = "font-family=\"sans-serif\" font-size=\"14\" font-weight=\"bold\"";
const COLORS: [&str; 4] = ["#4477aa", "#ee6677", "#228833", "#ccbb44"];

fn header(w: f64, h: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\
         <text x=\"{x}\" y=\"20\" text-anchor=\"middle\" {TITLE_FONT}>{t}</text>",
        x = w / 2.0,
        t = escape(title)
    )
}

/// Horizontal bars, one per (label, value), in the given order.
pub fn bar_chart(title: &str, bars: &[(String, f64)], unit: &str) -> String {
    let (w, left, right, row) = (640.0, 170.0, 80.0, 22.0);
    let h = 40.0 + row * bars.len() as f64 + 30.0;
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1e-12);
    let mut s = header(w, h, title);
    for (i, (label, v)) in bars.iter().enumerate() {
        let y = 35.0 + row * i as f64;
        let len = (w - left - right) * v / max;
        let _ = write!(
            s,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" {FONT}>{l}</text>\
             <rect x=\"{left}\" y=\"{y}\" width=\"{len:.1}\" height=\"{bh}\" fill=\"{c}\"/>\
             <text x=\"{vx:.1}\" y=\"{ty}\" {FONT}>{v}</text>",
            lx = left - 6.0,
            ty = y + row * 0.62,
            l = escape(label),
            bh = row - 6.0,
            c = COLORS[0],
            vx = left + len + 4.0,
            v = fmt_num(*v),
        );
    }
    let _ = write!(
        s,
        "<text x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" {FONT} fill=\"#555\">{u}</text></svg>",
        x = left + (w - left - right) / 2.0,
        y = h - 8.0,
        u = escape(unit)
    );
    s
}

/// A histogram of integer values (e.g. sentence lengths), clipped at `max_x`.
pub fn histogram(title: &str, values: &[usize], max_x: usize, x_label: &str) -> String {
    let mut counts = vec![0usize; max_x + 1];
    for &v in values {
        counts[v.min(max_x)] += 1;
    }
    let (w, h, left, bottom, top) = (640.0, 320.0, 55.0, 45.0, 35.0);
    let plot_w = w - left - 20.0;
    let plot_h = h - top - bottom;
    let peak = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let bw = plot_w / counts.len() as f64;
    let mut s = header(w, h, title);
    for (i, &c) in counts.iter().enumerate() {
        let bh = plot_h * c as f64 / peak;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.2}\" height=\"{bh:.1}\" fill=\"{col}\"/>",
            x = left + bw * i as f64,
            y = top + plot_h - bh,
            bw = (bw - 0.5).max(0.5),
            col = COLORS[0]
        );
    }
    axes(&mut s, left, top, plot_w, plot_h);
    for tick in ticks(0.0, max_x as f64) {
        let x = left + bw * (tick + 0.5);
        let label = if tick as usize == max_x {
            format!("≥{}", max_x)
        } else {
            fmt_num(tick)
        };
        let _ = write!(
            s,
            "<text x=\"{x:.1}\" y=\"{y}\" text-anchor=\"middle\" {FONT}>{label}</text>",
            y = top + plot_h + 16.0
        );
    }
    for tick in ticks(0.0, peak) {
        let y = top + plot_h - plot_h * tick / peak;
        let _ = write!(
            s,
            "<text x=\"{x}\" y=\"{y:.1}\" text-anchor=\"end\" {FONT}>{t}</text>",
            x = left - 5.0,
            t = fmt_num(tick)
        );
    }
    labels(&mut s, w, h, left, top, plot_h, x_label, "count");
    s.push_str("</svg>");
    s
}

/// Lines on log-log axes, e.g. rank against frequency (Zipf's law). Each
/// series is (name, points with x > 0 and y > 0).
pub fn loglog(
    title: &str,
    series: &[(String, Vec<(f64, f64)>)],
    x_label: &str,
    y_label: &str,
) -> String {
    let (w, h, left, bottom, top) = (640.0, 380.0, 60.0, 45.0, 35.0);
    let plot_w = w - left - 20.0;
    let plot_h = h - top - bottom;
    let pts = series.iter().flat_map(|s| s.1.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in pts {
        x0 = x0.min(x.log10());
        x1 = x1.max(x.log10());
        y0 = y0.min(y.log10());
        y1 = y1.max(y.log10());
    }
    let (x0, x1) = (x0.floor(), x1.ceil().max(x0.floor() + 1.0));
    let (y0, y1) = (y0.floor(), y1.ceil().max(y0.floor() + 1.0));
    let px = |x: f64| left + plot_w * (x.log10() - x0) / (x1 - x0);
    let py = |y: f64| top + plot_h - plot_h * (y.log10() - y0) / (y1 - y0);
    let mut s = header(w, h, title);
    axes(&mut s, left, top, plot_w, plot_h);
    for e in (x0 as i32)..=(x1 as i32) {
        let _ = write!(
            s,
            "<text x=\"{x:.1}\" y=\"{y}\" text-anchor=\"middle\" {FONT}>10^{e}</text>",
            x = px(10f64.powi(e)),
            y = top + plot_h + 16.0
        );
    }
    for e in (y0 as i32)..=(y1 as i32) {
        let _ = write!(
            s,
            "<text x=\"{x}\" y=\"{y:.1}\" text-anchor=\"end\" {FONT}>10^{e}</text>",
            x = left - 5.0,
            y = py(10f64.powi(e)) + 4.0
        );
    }
    for (i, (name, points)) in series.iter().enumerate() {
        let c = COLORS[i % COLORS.len()];
        let path: Vec<String> = points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
            .collect();
        let _ = write!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"1.6\"/>\
             <rect x=\"{lx}\" y=\"{ly}\" width=\"12\" height=\"3\" fill=\"{c}\"/>\
             <text x=\"{tx}\" y=\"{ty}\" {FONT}>{n}</text>",
            path.join(" "),
            lx = w - 200.0,
            ly = top + 10.0 + 16.0 * i as f64,
            tx = w - 182.0,
            ty = top + 15.0 + 16.0 * i as f64,
            n = escape(name)
        );
    }
    labels(&mut s, w, h, left, top, plot_h, x_label, y_label);
    s.push_str("</svg>");
    s
}

/// Lines over a linear x axis; the y axis is linear or, with `log_y`,
/// logarithmic (for gradient norms spanning many orders of magnitude). Each
/// series is (name, points); with `log_y`, points with y <= 0 are skipped.
pub fn line_chart(
    title: &str,
    series: &[(String, Vec<(f64, f64)>)],
    x_label: &str,
    y_label: &str,
    log_y: bool,
) -> String {
    let (w, h, left, bottom, top) = (640.0, 380.0, 60.0, 45.0, 35.0);
    let plot_w = w - left - 20.0;
    let plot_h = h - top - bottom;
    let fy = |y: f64| if log_y { y.log10() } else { y };
    let keep = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite() && (!log_y || p.1 > 0.0);
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in series.iter().flat_map(|s| s.1.iter()).filter(keep) {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(fy(y));
        y1 = y1.max(fy(y));
    }
    if x0 > x1 {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
    }
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    if log_y {
        y0 = y0.floor();
        y1 = y1.ceil().max(y0 + 1.0);
    } else if y1 <= y0 {
        y1 = y0 + 1.0;
    }
    let px = |x: f64| left + plot_w * (x - x0) / (x1 - x0);
    let py = |y: f64| top + plot_h - plot_h * (fy(y) - y0) / (y1 - y0);
    let mut s = header(w, h, title);
    axes(&mut s, left, top, plot_w, plot_h);
    for tick in ticks(x0, x1) {
        let _ = write!(
            s,
            "<text x=\"{x:.1}\" y=\"{y}\" text-anchor=\"middle\" {FONT}>{t}</text>",
            x = px(tick),
            y = top + plot_h + 16.0,
            t = fmt_num(tick)
        );
    }
    let y_ticks: Vec<(f64, String)> = if log_y {
        ((y0 as i32)..=(y1 as i32))
            .map(|e| (10f64.powi(e), format!("10^{e}")))
            .collect()
    } else {
        ticks(y0, y1).into_iter().map(|t| (t, fmt_num(t))).collect()
    };
    for (v, t) in y_ticks {
        let _ = write!(
            s,
            "<text x=\"{x}\" y=\"{y:.1}\" text-anchor=\"end\" {FONT}>{t}</text>",
            x = left - 5.0,
            y = py(v) + 4.0
        );
    }
    for (i, (name, points)) in series.iter().enumerate() {
        let c = COLORS[i % COLORS.len()];
        let path: Vec<String> = points
            .iter()
            .filter(keep)
            .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
            .collect();
        let _ = write!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"1.6\"/>\
             <rect x=\"{lx}\" y=\"{ly}\" width=\"12\" height=\"3\" fill=\"{c}\"/>\
             <text x=\"{tx}\" y=\"{ty}\" {FONT}>{n}</text>",
            path.join(" "),
            lx = w - 200.0,
            ly = top + 10.0 + 16.0 * i as f64,
            tx = w - 182.0,
            ty = top + 15.0 + 16.0 * i as f64,
            n = escape(name)
        );
    }
    labels(&mut s, w, h, left, top, plot_h, x_label, y_label);
    s.push_str("</svg>");
    s
}

/// Points on linear axes over fixed ranges, one colour per series (name,
/// points); points outside the ranges are clipped to the frame.
pub fn scatter(
    title: &str,
    series: &[(String, Vec<(f64, f64)>)],
    x_range: (f64, f64),
    y_range: (f64, f64),
    x_label: &str,
    y_label: &str,
) -> String {
    let (w, h, left, bottom, top) = (640.0, 400.0, 60.0, 45.0, 35.0);
    let plot_w = w - left - 20.0;
    let plot_h = h - top - bottom;
    let span = |r: (f64, f64)| (r.1 - r.0).abs().max(1e-12);
    let px = |x: f64| left + plot_w * ((x - x_range.0) / span(x_range)).clamp(0.0, 1.0);
    let py = |y: f64| top + plot_h - plot_h * ((y - y_range.0) / span(y_range)).clamp(0.0, 1.0);
    let mut s = header(w, h, title);
    axes(&mut s, left, top, plot_w, plot_h);
    for tick in ticks(x_range.0, x_range.1) {
        let _ = write!(
            s,
            "<text x=\"{x:.1}\" y=\"{y}\" text-anchor=\"middle\" {FONT}>{t}</text>",
            x = px(tick),
            y = top + plot_h + 16.0,
            t = fmt_num(tick)
        );
    }
    for tick in ticks(y_range.0, y_range.1) {
        let _ = write!(
            s,
            "<text x=\"{x}\" y=\"{y:.1}\" text-anchor=\"end\" {FONT}>{t}</text>",
            x = left - 5.0,
            y = py(tick) + 4.0,
            t = fmt_num(tick)
        );
    }
    for (i, (name, points)) in series.iter().enumerate() {
        let c = COLORS[i % COLORS.len()];
        let _ = write!(s, "<g fill=\"{c}\" fill-opacity=\"0.45\">");
        for &(x, y) in points.iter().filter(|p| p.0.is_finite() && p.1.is_finite()) {
            let _ = write!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2\"/>",
                px(x),
                py(y)
            );
        }
        let _ = write!(
            s,
            "</g><rect x=\"{lx}\" y=\"{ly}\" width=\"10\" height=\"10\" fill=\"{c}\"/>\
             <text x=\"{tx}\" y=\"{ty}\" {FONT}>{n}</text>",
            lx = left + 12.0,
            ly = top + 6.0 + 16.0 * i as f64,
            tx = left + 27.0,
            ty = top + 15.0 + 16.0 * i as f64,
            n = escape(name)
        );
    }
    labels(&mut s, w, h, left, top, plot_h, x_label, y_label);
    s.push_str("</svg>");
    s
}

/// A matrix of counts as coloured cells (e.g. a confusion matrix): rows and
/// columns labelled, each cell's shade proportional to its share of its row,
/// the count written inside.
pub fn heatmap(
    title: &str,
    row_labels: &[String],
    col_labels: &[String],
    counts: &[Vec<usize>],
    x_label: &str,
    y_label: &str,
) -> String {
    let n_rows = counts.len().max(1);
    let n_cols = counts.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let cell = (420.0 / n_cols.max(n_rows) as f64).clamp(28.0, 90.0);
    let (left, top) = (150.0, 70.0);
    let w = left + cell * n_cols as f64 + 30.0;
    let h = top + cell * n_rows as f64 + 50.0;
    let mut s = header(w, h, title);
    for (j, l) in col_labels.iter().enumerate().take(n_cols) {
        let _ = write!(
            s,
            "<text x=\"{x:.1}\" y=\"{y}\" text-anchor=\"middle\" {FONT}>{l}</text>",
            x = left + cell * (j as f64 + 0.5),
            y = top - 8.0,
            l = escape(l)
        );
    }
    for (i, row) in counts.iter().enumerate() {
        let total = row.iter().sum::<usize>().max(1) as f64;
        let label = row_labels.get(i).map(String::as_str).unwrap_or("");
        let _ = write!(
            s,
            "<text x=\"{x}\" y=\"{y:.1}\" text-anchor=\"end\" {FONT}>{l}</text>",
            x = left - 8.0,
            y = top + cell * (i as f64 + 0.5) + 4.0,
            l = escape(label)
        );
        for (j, &c) in row.iter().enumerate() {
            let share = c as f64 / total;
            // White to the first palette blue; dark cells get white text.
            let mix = |full: u8| (255.0 - (255.0 - full as f64) * share).round() as u8;
            let (r, g, b) = (mix(0x44), mix(0x77), mix(0xaa));
            let ink = if share > 0.5 { "white" } else { "#222" };
            let (x, y) = (left + cell * j as f64, top + cell * i as f64);
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cell:.1}\" height=\"{cell:.1}\" \
                 fill=\"#{r:02x}{g:02x}{b:02x}\" stroke=\"#ccc\"/>\
                 <text x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" {FONT} fill=\"{ink}\">{c}</text>",
                tx = x + cell / 2.0,
                ty = y + cell / 2.0 + 4.0,
            );
        }
    }
    let _ = write!(
        s,
        "<text x=\"{cx:.1}\" y=\"{ty}\" text-anchor=\"middle\" {FONT} fill=\"#555\">{x}</text>\
         <text x=\"18\" y=\"{ly:.1}\" text-anchor=\"middle\" {FONT} fill=\"#555\" \
         transform=\"rotate(-90 18 {ly:.1})\">{y}</text></svg>",
        cx = left + cell * n_cols as f64 / 2.0,
        ty = top - 26.0,
        ly = top + cell * n_rows as f64 / 2.0,
        x = escape(x_label),
        y = escape(y_label)
    );
    s
}

/// A group name and its labelled points `(label, x, y)`.
pub type PointGroup = (String, Vec<(String, f64, f64)>);

/// Named points in the plane (e.g. word vectors projected to 2-D), one
/// colour per group, each point labelled; the axes fit the points.
pub fn labelled_points(title: &str, groups: &[PointGroup]) -> String {
    let (w, h, pad, top, legend) = (800.0, 560.0, 30.0, 35.0, 160.0);
    let all = groups
        .iter()
        .flat_map(|g| g.1.iter())
        .filter(|p| p.1.is_finite() && p.2.is_finite());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (_, x, y) in all {
        x0 = x0.min(*x);
        x1 = x1.max(*x);
        y0 = y0.min(*y);
        y1 = y1.max(*y);
    }
    if x0 > x1 {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
    }
    let (sx, sy) = ((x1 - x0).max(1e-12), (y1 - y0).max(1e-12));
    let plot_w = w - 2.0 * pad - legend;
    let plot_h = h - top - 2.0 * pad;
    let px = |x: f64| pad + plot_w * (x - x0) / sx;
    let py = |y: f64| top + pad + plot_h - plot_h * (y - y0) / sy;
    let mut s = header(w, h, title);
    let _ = write!(
        s,
        "<rect x=\"{x}\" y=\"{y}\" width=\"{pw}\" height=\"{ph}\" fill=\"none\" stroke=\"#ddd\"/>",
        x = pad / 2.0,
        y = top + pad / 2.0,
        pw = plot_w + pad,
        ph = plot_h + pad
    );
    const GROUP_COLORS: [&str; 10] = [
        "#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb", "#000000",
        "#ee7733", "#009988",
    ];
    for (i, (name, points)) in groups.iter().enumerate() {
        let c = GROUP_COLORS[i % GROUP_COLORS.len()];
        for (label, x, y) in points.iter().filter(|p| p.1.is_finite() && p.2.is_finite()) {
            let _ = write!(
                s,
                "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"3\" fill=\"{c}\"/>\
                 <text x=\"{tx:.1}\" y=\"{ty:.1}\" {FONT} fill=\"{c}\">{l}</text>",
                cx = px(*x),
                cy = py(*y),
                tx = px(*x) + 4.0,
                ty = py(*y) - 3.0,
                l = escape(label)
            );
        }
        let _ = write!(
            s,
            "<rect x=\"{lx}\" y=\"{ly}\" width=\"10\" height=\"10\" fill=\"{c}\"/>\
             <text x=\"{tx}\" y=\"{ty}\" {FONT}>{n}</text>",
            lx = w - legend + 5.0,
            ly = top + pad + 18.0 * i as f64,
            tx = w - legend + 20.0,
            ty = top + pad + 9.0 + 18.0 * i as f64,
            n = escape(name)
        );
    }
    s.push_str("</svg>");
    s
}

fn axes(s: &mut String, left: f64, top: f64, plot_w: f64, plot_h: f64) {
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{b}\" stroke=\"#333\"/>\
         <line x1=\"{left}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#333\"/>",
        b = top + plot_h,
        r = left + plot_w
    );
}

#[allow(clippy::too_many_arguments)]
fn labels(s: &mut String, w: f64, h: f64, left: f64, top: f64, plot_h: f64, x: &str, y: &str) {
    let _ = write!(
        s,
        "<text x=\"{cx}\" y=\"{by}\" text-anchor=\"middle\" {FONT} fill=\"#555\">{x}</text>\
         <text x=\"14\" y=\"{cy}\" text-anchor=\"middle\" {FONT} fill=\"#555\" transform=\"rotate(-90 14 {cy})\">{y}</text>",
        cx = left + (w - left) / 2.0,
        by = h - 8.0,
        cy = top + plot_h / 2.0,
        x = escape(x),
        y = escape(y)
    );
}

/// About five round tick values between lo and hi.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1.0);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 6.0)
        .unwrap_or(10.0 * mag)
        .max(1.0);
    let mut t = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while t <= hi + 1e-9 {
        out.push(t);
        t += step;
    }
    out
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let s = format!("{}", v as i64);
        // Thousands separators for readability.
        let bytes: Vec<char> = s.chars().collect();
        let mut out = String::new();
        for (i, c) in bytes.iter().enumerate() {
            if i > 0 && (bytes.len() - i).is_multiple_of(3) && *c != '-' && bytes[i - 1] != '-' {
                out.push(',');
            }
            out.push(*c);
        }
        out
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses the whole document as XML, checking every element's attributes
    /// (a repeated attribute makes browsers refuse the image).
    fn assert_well_formed(svg: &str) {
        let mut reader = quick_xml::Reader::from_str(svg);
        loop {
            match reader.read_event().expect("well-formed XML") {
                quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                    for a in e.attributes() {
                        a.expect("valid, unique attribute");
                    }
                }
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
    }

    #[test]
    fn plots_are_well_formed_svg() {
        for svg in [
            bar_chart("t <1>", &[("a".into(), 3.0), ("b".into(), 1200.0)], "count"),
            histogram("h", &[1, 2, 2, 3, 90], 50, "tokens"),
            loglog(
                "z",
                &[("s".into(), vec![(1.0, 100.0), (10.0, 10.0), (100.0, 1.0)])],
                "rank",
                "freq",
            ),
            scatter(
                "s",
                &[
                    ("a".into(), vec![(-4.0, -1.0), (0.0, 0.2), (4.0, 1.0)]),
                    ("b".into(), vec![(9.0, f64::NAN), (1.0, -0.5)]),
                ],
                (-4.0, 4.0),
                (-1.0, 1.0),
                "rating",
                "score",
            ),
            labelled_points(
                "p",
                &[
                    (
                        "g <1>".into(),
                        vec![("a&b".into(), 0.0, 1.0), ("c".into(), 2.0, -1.0)],
                    ),
                    ("h".into(), vec![("d".into(), f64::NAN, 0.0)]),
                ],
            ),
            labelled_points("empty", &[]),
            heatmap(
                "c",
                &["a".into(), "b <".into()],
                &["a".into(), "b <".into()],
                &[vec![5, 0], vec![2, 9]],
                "predicted",
                "true",
            ),
        ] {
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert_well_formed(&svg);
            assert!(!svg.contains("NaN") && !svg.contains("inf"));
        }
        assert!(bar_chart("t <1>", &[], "n").contains("t &lt;1&gt;"));
        assert_eq!(fmt_num(1234567.0), "1,234,567");
        assert_eq!(ticks(0.0, 50.0), vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
    }
}
