import Foundation

/// A 2-D plot, usually log-log: measured points (with optional CI bars), the fitted line and the predicted slope.
public struct Plot: Sendable, Equatable, Codable {
    public enum Style: Sendable, Equatable, Codable {
        /// Markers at the points, with vertical CI bars if given.
        case points
        /// A solid line through the points (fitted lines).
        case line
        /// A dashed line through the points (predictions).
        case dashed
    }

    public struct Series: Sendable, Equatable, Codable {
        public let name: String
        public let x: [Double]
        public let y: [Double]
        public let intervals: [Interval]?
        public let style: Style
        /// Index into the palette, so a fit and its data share a colour.
        public let colour: Int

        public init(name: String, x: [Double], y: [Double], intervals: [Interval]? = nil, style: Style, colour: Int) {
            precondition(x.count == y.count)
            self.name = name
            self.x = x
            self.y = y
            self.intervals = intervals
            self.style = style
            self.colour = colour
        }

        private enum CodingKeys: String, CodingKey { case name, x, y, intervals, style, colour }

        /// Decoded series obey the same rules as constructed ones: as many y as x, one interval per point, a
        /// palette index ≥ 0. A partial result edited by hand is refused here instead of trapping in the renderer.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let x = try c.decode([Double].self, forKey: .x)
            let y = try c.decode([Double].self, forKey: .y)
            let intervals = try c.decodeIfPresent([Interval].self, forKey: .intervals)
            let colour = try c.decode(Int.self, forKey: .colour)
            guard x.count == y.count else {
                throw DecodingError.dataCorruptedError(forKey: .y, in: c, debugDescription: "\(y.count) y values for \(x.count) x values; expected as many")
            }
            if let intervals, intervals.count != x.count {
                throw DecodingError.dataCorruptedError(forKey: .intervals, in: c, debugDescription: "\(intervals.count) intervals for \(x.count) points; expected one per point")
            }
            guard colour >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: .colour, in: c, debugDescription: "colour \(colour); expected a palette index ≥ 0")
            }
            self.init(name: try c.decode(String.self, forKey: .name), x: x, y: y, intervals: intervals,
                      style: try c.decode(Style.self, forKey: .style), colour: colour)
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logX: Bool
    public var logY: Bool
    public var series: [Series]

    public init(title: String, xLabel: String, yLabel: String, logX: Bool = true, logY: Bool = true, series: [Series] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.logY = logY
        self.series = series
    }

    /// Adds measured points, the fitted power law C·x^b over the fitted range (solid), and the predicted
    /// exponent drawn through the geometric centre of the data (dashed).
    public mutating func addPowerLaw(name: String, sizes: [Double], estimates: [MeanEstimate], fit: PowerLawFit?, predictedExponent: Double?, colour: Int) {
        series.append(Series(name: name, x: sizes, y: estimates.map(\.mean), intervals: estimates.map { $0.confidenceInterval() }, style: .points, colour: colour))
        guard let fit, let lo = fit.usedSizes.min(), let hi = fit.usedSizes.max() else { return }
        series.append(Series(name: "\(name) fit: slope \(formatShort(fit.exponent, digits: 3))", x: [lo, hi], y: [lo, hi].map { exp(fit.line.predict(log($0))) }, style: .line, colour: colour))
        if let p = predictedExponent {
            let centreX = (log(lo) + log(hi)) / 2
            let centreY = fit.line.predict(centreX)
            series.append(Series(name: "\(name) predicted: slope \(formatShort(p, digits: 3))", x: [lo, hi], y: [lo, hi].map { exp(centreY + p * (log($0) - centreX)) }, style: .dashed, colour: colour))
        }
    }
}

/// Renders a `Plot` as a self-contained SVG (no external fonts or scripts). Output depends only on the plot's data.
public enum SVGRenderer {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    public static func render(_ plot: Plot, width: Double = 720, height: Double = 480) -> String {
        let left = 80.0, right = 250.0, top = 40.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        func tx(_ v: Double) -> Double { plot.logX ? log10(v) : v }
        func ty(_ v: Double) -> Double { plot.logY ? log10(v) : v }
        func usable(_ v: Double, log: Bool) -> Bool { v.isFinite && (!log || v > 0) }

        var xs: [Double] = [], ys: [Double] = []
        for s in plot.series {
            for (x, y) in zip(s.x, s.y) where usable(x, log: plot.logX) && usable(y, log: plot.logY) {
                xs.append(tx(x)); ys.append(ty(y))
            }
            for iv in s.intervals ?? [] {
                if usable(iv.lower, log: plot.logY) { ys.append(ty(iv.lower)) }
                if usable(iv.upper, log: plot.logY) { ys.append(ty(iv.upper)) }
            }
        }
        var (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1)
        var (y0, y1) = (ys.min() ?? 0, ys.max() ?? 1)
        if x1 - x0 < 1e-12 { x0 -= 0.5; x1 += 0.5 }
        if y1 - y0 < 1e-12 { y0 -= 0.5; y1 += 0.5 }
        let padX = (x1 - x0) * 0.05, padY = (y1 - y0) * 0.05
        x0 -= padX; x1 += padX; y0 -= padY; y1 += padY
        func px(_ v: Double) -> Double { left + (tx(v) - x0) / (x1 - x0) * plotW }
        func py(_ v: Double) -> Double { top + plotH - (ty(v) - y0) / (y1 - y0) * plotH }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }

        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(left + plotW / 2))" y="22" text-anchor="middle" font-size="14">\(esc(plot.title))</text>
        <rect x="\(f(left))" y="\(f(top))" width="\(f(plotW))" height="\(f(plotH))" fill="none" stroke="#333"/>

        """
        for (value, isX) in ticks(x0, x1, log: plot.logX).map({ ($0, true) }) + ticks(y0, y1, log: plot.logY).map({ ($0, false) }) {
            let label = (isX ? plot.logX : plot.logY) ? logLabel(value) : formatShort(value, digits: 3)
            if isX {
                let x = left + (value - x0) / (x1 - x0) * plotW
                svg += "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(top + plotH))\" stroke=\"#ddd\"/>\n"
                svg += "<text x=\"\(f(x))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(label)</text>\n"
            } else {
                let y = top + plotH - (value - y0) / (y1 - y0) * plotH
                svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" stroke=\"#ddd\"/>\n"
                svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(label)</text>\n"
            }
        }
        svg += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 18))\" text-anchor=\"middle\">\(esc(plot.xLabel))\(plot.logX ? " (log scale)" : "")</text>\n"
        svg += "<text x=\"18\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(f(top + plotH / 2)))\">\(esc(plot.yLabel))\(plot.logY ? " (log scale)" : "")</text>\n"

        for (index, s) in plot.series.enumerated() {
            let colour = palette[((s.colour % palette.count) + palette.count) % palette.count]
            let pts = zip(s.x, s.y).filter { usable($0.0, log: plot.logX) && usable($0.1, log: plot.logY) }
            switch s.style {
            case .points:
                for (i, (x, y)) in zip(s.x, s.y).enumerated() where usable(x, log: plot.logX) && usable(y, log: plot.logY) {
                    if let ivs = s.intervals, i < ivs.count, case let iv = ivs[i], usable(iv.lower, log: plot.logY), usable(iv.upper, log: plot.logY) {
                        svg += "<line x1=\"\(f(px(x)))\" y1=\"\(f(py(iv.lower)))\" x2=\"\(f(px(x)))\" y2=\"\(f(py(iv.upper)))\" stroke=\"\(colour)\"/>\n"
                    }
                    svg += "<circle cx=\"\(f(px(x)))\" cy=\"\(f(py(y)))\" r=\"3.5\" fill=\"\(colour)\"/>\n"
                }
            case .line, .dashed:
                let path = pts.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ")
                let dash = s.style == .dashed ? " stroke-dasharray=\"6 4\"" : ""
                svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\"\(dash)/>\n"
            }
            let ly = top + 10 + Double(index) * 18
            let lx = left + plotW + 12
            switch s.style {
            case .points: svg += "<circle cx=\"\(f(lx + 10))\" cy=\"\(f(ly))\" r=\"3.5\" fill=\"\(colour)\"/>\n"
            case .line, .dashed:
                let dash = s.style == .dashed ? " stroke-dasharray=\"6 4\"" : ""
                svg += "<line x1=\"\(f(lx))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 20))\" y2=\"\(f(ly))\" stroke=\"\(colour)\" stroke-width=\"1.5\"\(dash)/>\n"
            }
            svg += "<text x=\"\(f(lx + 26))\" y=\"\(f(ly + 4))\" font-size=\"11\">\(esc(s.name))</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    /// "1e3" for a decade, "2e3"/"5e3" for the in-between ticks (log10 coordinates).
    static func logLabel(_ value: Double) -> String {
        let decade = floor(value + 1e-9)
        let mantissa = Int((pow(10, value - decade)).rounded())
        return "\(mantissa)e\(Int(decade))"
    }

    /// Tick positions in transformed coordinates: decades on a log axis (plus 2× and 5× when it spans under two
    /// decades), ~5 round values on a linear one.
    static func ticks(_ lo: Double, _ hi: Double, log isLog: Bool) -> [Double] {
        if isLog {
            let mantissas: [Double] = hi - lo < 2 ? [1, 2, 5] : [1]
            var out: [Double] = []
            guard lo.isFinite, hi.isFinite, lo <= hi, hi - lo < 2000 else { return out }
            for decade in Int(floor(lo))...Int(ceil(hi)) {
                for m in mantissas {
                    let v = Double(decade) + log10(m)
                    if v >= lo && v <= hi { out.append(v) }
                }
            }
            return out
        }
        let raw = (hi - lo) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        let first = ceil(lo / step) * step
        guard first.isFinite, step.isFinite, step > 0 else { return out }
        // Counted, not accumulated: at magnitudes where step is below one ulp, `v += step` would never advance.
        for k in 0..<12 {
            let v = first + Double(k) * step
            if v > hi + 1e-12 { break }
            out.append(v)
        }
        return out
    }
}
