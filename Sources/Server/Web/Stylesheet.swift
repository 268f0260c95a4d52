import Hummingbird

/// The pages' one stylesheet: plain, readable, printable; no fonts or images from elsewhere.
enum Stylesheet {
    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/css; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: css)))
    }

    static let css = """
        :root { --ink: #1d2530; --muted: #5b6573; --line: #d8dde4; --accent: #0b5cad; --warn: #a25a00;
          --warn-bg: #fff4e0; --ok: #1f7a3a; --bg: #f5f7fa; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: var(--bg); font-size: 15px; line-height: 1.45; }
        a { color: var(--accent); }
        header.top { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.5rem; background: #10365e; color: #fff; }
        header.top .brand { font-weight: 700; letter-spacing: .02em; }
        header.top nav a { color: #dce8f5; text-decoration: none; margin-right: 1rem; padding: .2rem 0; }
        header.top nav a[aria-current=page] { color: #fff; border-bottom: 2px solid #fff; }
        header.top nav .counter { display: inline-block; min-width: 1.4em; padding: 0 .35em; margin-left: .2em; border-radius: .7em; background: #fff; color: #1d3b5c; font-size: .85em; text-align: center; }
        nav.pages { margin: .6rem 0; }
        nav.pages a, nav.pages span { margin-right: .8rem; }
        .unit { color: var(--muted); }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        header.top .logout { margin-left: auto; display: flex; gap: .6rem; align-items: center; }
        header.top .who { color: #dce8f5; font-size: .9em; }
        main { max-width: 1280px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
        h1 { font-size: 1.5rem; margin: .6rem 0 1rem; }
        h2 { font-size: 1.1rem; margin: 1.2rem 0 .5rem; }
        button { font: inherit; background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: .35rem .8rem; cursor: pointer; }
        button:hover { filter: brightness(1.1); }
        header.top button { background: transparent; border: 1px solid #dce8f5; }
        input, select { font: inherit; padding: .3rem .4rem; border: 1px solid #b8c0ca; border-radius: 4px; background: #fff; }
        label { display: inline-flex; flex-direction: column; font-size: .85em; color: var(--muted); gap: .15rem; }
        form.filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: .8rem; background: #fff; padding: .8rem 1rem;
          border: 1px solid var(--line); border-radius: 6px; margin-bottom: 1rem; }
        form.filters .reset { align-self: center; font-size: .9em; }
        form.inline { display: inline-flex; gap: .4rem; align-items: flex-end; margin: .2rem .6rem .2rem 0; }
        .error { color: #8a1111; background: #fdecec; border: 1px solid #f2c0c0; padding: .5rem .8rem; border-radius: 4px; }
        .notice { color: var(--ok); background: #e9f7ee; border: 1px solid #bfe3cb; padding: .5rem .8rem; border-radius: 4px; }
        .hint, .count, .file, .date, .evidence { color: var(--muted); font-size: .9em; }
        .empty { color: var(--muted); font-style: italic; }
        section.case { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .2rem 1rem .8rem; margin-bottom: 1rem; }
        table { border-collapse: collapse; width: 100%; }
        table.documents th { text-align: left; font-size: .8em; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); padding: .3rem .5rem; }
        table.documents td { border-bottom: 1px solid #eef1f4; padding: .4rem .5rem; vertical-align: top; }
        td.thumb img, .review-item img { border: 1px solid var(--line); background: #fff; display: block; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        ul.fields { list-style: none; margin: 0; padding: 0; font-size: .9em; }
        ul.fields .key, table.fields th { color: var(--muted); font-weight: 500; }
        .doubtful { background: var(--warn-bg); }
        .flag { display: inline-block; background: var(--warn); color: #fff; border-radius: 50%; width: 1.2em; height: 1.2em;
          text-align: center; font-size: .8em; line-height: 1.2em; font-weight: 700; }
        .reason { color: var(--warn); font-size: .85em; }
        .corrected { color: var(--ok); font-size: .85em; margin-left: .4rem; }
        .badge { font-size: .8em; padding: .1rem .5rem; border-radius: 10px; background: #e6ebf1; white-space: nowrap; }
        .badge.needs_review { background: var(--warn-bg); color: var(--warn); }
        .badge.filed { background: #e9f7ee; color: var(--ok); }
        .badge.health { background: #f3e8fb; color: #6b2c91; }
        .badge.work-in_bearbeitung { background: #e7f0fb; color: #10365e; }
        .badge.work-erledigt { background: #e9f7ee; color: var(--ok); }
        td .work { font-size: .85em; color: var(--muted); margin-top: .2rem; }
        section.work .actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; margin: .5rem 0; }
        section.work form.note label { display: block; }
        section.work form.note textarea { width: 100%; }
        ul.notes { list-style: none; padding: 0; }
        ul.notes li { border-left: 3px solid #c9d6e4; padding-left: .6rem; margin: .4rem 0; }
        ul.notes p { margin: .2rem 0; white-space: pre-wrap; }
        .document { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); gap: 1.5rem; align-items: start; }
        .pages figure { margin: 0 0 1rem; background: #fff; border: 1px solid var(--line); padding: .5rem; }
        .pages img { width: 100%; height: auto; display: block; }
        .page-frame { position: relative; }
        .page-frame svg.places { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
        rect.place { fill: none; stroke: none; scroll-margin-top: 30vh; }
        rect.place:target { fill: rgba(255, 214, 0, .28); stroke: #b3261e; stroke-width: 3px; vector-effect: non-scaling-stroke; }
        a.place-link { font-size: .85em; margin-left: .4rem; }
        .pages figcaption { color: var(--muted); font-size: .8em; margin-top: .3rem; }
        .facts { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem 1rem; position: sticky; top: .5rem; }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
        dl.meta dt { color: var(--muted); }
        dl.meta dd { margin: 0; }
        table.fields th { text-align: left; padding: .3rem .6rem .3rem 0; white-space: nowrap; vertical-align: top; }
        table.fields td { padding: .2rem 0; }
        table.fields input[name=wert] { width: 12rem; }
        section.review { background: var(--warn-bg); border: 1px solid #f0d3a8; border-radius: 6px; padding: .2rem 1rem .8rem; }
        .assign form.candidate { display: flex; gap: .6rem; align-items: center; margin: .3rem 0; }
        article.review-item { display: flex; gap: 1rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; margin-bottom: 1rem; }
        article.review-item h2 { margin: 0 0 .2rem; }
        ul.reasons { margin: .4rem 0; padding-left: 1.2rem; color: var(--warn); }
        ol.hits li { margin-bottom: .8rem; }
        .snippet { margin: .2rem 0; color: var(--muted); }
        mark { background: #fff0a8; }
        section.login { max-width: 380px; margin: 4rem auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1.5rem 2rem; }
        section.login form { display: flex; flex-direction: column; gap: .8rem; }
        section.login label { font-size: .95em; }
        ul.history { font-size: .85em; color: var(--muted); padding-left: 1.2rem; }
        ul.findings { list-style: none; padding: 0; }
        li.finding { background: #fff; border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 4px; padding: .4rem .8rem; margin-bottom: .6rem; }
        li.finding.warning { border-left-color: var(--warn); }
        li.finding.warning .badge { background: var(--warn-bg); color: var(--warn); }
        li.finding.checked { color: var(--muted); }
        li.finding p { margin: .3rem 0; }
        p.reviewed { color: var(--ok); font-size: .9em; }
        .badge.overdue { background: var(--warn-bg); color: var(--warn); }
        .badge.fulfilled { background: #e9f7ee; color: var(--ok); }
        form.request-new { margin-top: .8rem; }
        ol.timeline { list-style: none; padding: 0; margin: 0; border-left: 2px solid var(--line); }
        ol.timeline li.month { padding-left: 1rem; margin-bottom: .8rem; }
        ol.timeline h3 { font-size: .95rem; margin: .4rem 0 .3rem; color: var(--muted); }
        ol.timeline ol { list-style: none; padding: 0; margin: 0; }
        ol.timeline ol li { background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: .35rem .7rem; margin-bottom: .35rem; }
        ol.timeline .date { display: inline-block; min-width: 6.5rem; }
        ol.timeline .key { color: var(--muted); }
        @media (max-width: 900px) { .document { grid-template-columns: 1fr; } .facts { position: static; } }
        """
}
