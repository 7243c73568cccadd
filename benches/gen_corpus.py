#!/usr/bin/env python3
"""Generate the same benchmark corpus as a dossier site and as a Hugo site.

Usage: gen_corpus.py N OUTDIR

Writes
  OUTDIR/dossier/  site.toml, content/_index.md, content/{incidents,actors,
                   sources,demands}/<slug>.md
  OUTDIR/hugo/     hugo.toml, layouts/, content/ with the same pages and
                   bodies (links rewritten as relative pretty-URL links)

N incidents, max(1, N//20) actors, max(1, N//10) sources, max(1, N//50)
demands. Every reference points at an existing slug. The output is a pure
function of N (seeded random), so two runs with the same N give
byte-identical trees.

Python 3.11 standard library only.
"""

import os
import random
import re
import sys
from datetime import date, timedelta

SEED = 20240601

GOVERNORATES = {
    "Anbar": ["Ramadi", "Fallujah", "Haditha", "Hit", "Qaim", "Rutba"],
    "Babil": ["Hillah", "Musayyib", "Iskandariya", "Mahawil"],
    "Baghdad": ["Karkh", "Rusafa", "Sadr City", "Adhamiya", "Kadhimiya", "Abu Ghraib"],
    "Basra": ["Basra", "Zubair", "Qurna", "Abu al-Khasib"],
    "Dhi Qar": ["Nasiriyah", "Shatra", "Suq al-Shuyukh"],
    "Diyala": ["Baqubah", "Muqdadiyah", "Khanaqin", "Balad Ruz"],
    "Duhok": ["Duhok", "Zakho", "Amedi", "Simele"],
    "Erbil": ["Erbil", "Koya", "Soran", "Makhmur"],
    "Karbala": ["Karbala", "Ain al-Tamur", "Hindiya"],
    "Kirkuk": ["Kirkuk", "Hawija", "Dibis", "Daquq"],
    "Maysan": ["Amarah", "Majar al-Kabir", "Ali al-Gharbi"],
    "Muthanna": ["Samawah", "Rumaitha", "Khidr"],
    "Najaf": ["Najaf", "Kufa", "Manathera"],
    "Nineveh": ["Mosul", "Tal Afar", "Sinjar", "Bartella", "Qayyarah"],
    "Qadisiyah": ["Diwaniyah", "Afak", "Shamiya"],
    "Salah al-Din": ["Tikrit", "Samarra", "Baiji", "Balad", "Tuz Khurmatu"],
    "Sulaymaniyah": ["Sulaymaniyah", "Halabja", "Ranya", "Chamchamal"],
    "Wasit": ["Kut", "Suwaira", "Numaniya", "Aziziya"],
}
GOV_NAMES = list(GOVERNORATES)

TAGS = [
    "airstrike", "shelling", "raid", "detention", "torture", "enforced-disappearance",
    "checkpoint-shooting", "car-bomb", "suicide-attack", "ied", "sniper", "massacre",
    "displacement", "hostage-taking", "extrajudicial-killing", "sexual-violence",
    "child-casualties", "journalists", "medical-facility", "school", "mosque",
    "market", "funeral", "wedding", "protest", "prison", "mass-grave",
    "white-phosphorus", "cluster-munitions", "contractors",
]

VERIFICATION = ["confirmed", "corroborated", "single-source", "contested"]
STEPS = ["none", "denied", "inquiry", "charges", "trial", "conviction", "acquittal",
         "compensation"]
ACTOR_KINDS = ["state", "armed-force", "armed-group", "company", "official", "ngo",
               "intergovernmental", "court", "media", "academic"]
PUBLISHER_KINDS = {"ngo", "intergovernmental", "court", "media", "academic", "state"}
SOURCE_KINDS = ["ngo-report", "ngo-statement", "un-report", "government-statement",
                "court-record", "press", "academic", "advocacy"]
DEMAND_KINDS = ["investigation", "prosecution", "reparation", "protection",
                "humanitarian", "withdrawal", "non-interference", "other"]
DEMAND_STATUS = ["unmet", "partial", "met", "rejected"]
COUNTRIES = ["Iraq", "United States", "United Kingdom", "Australia", "Poland",
             "Denmark", "Iran", "Turkey", "Switzerland", "Jordan", "Syria",
             "Netherlands", "Italy", "Spain", "Georgia"]

EVENTS = ["Shelling", "Air strike", "Night raid", "Checkpoint shooting", "Car bombing",
          "Mass detention", "Killing of civilians", "Attack", "Bombing",
          "Abduction of residents", "Sniper fire", "Demolition of homes",
          "Shooting of protesters", "Torture of detainees", "Strike on a convoy"]
TARGETS = ["market", "wedding party", "funeral", "school", "hospital", "mosque",
           "bus station", "family home", "farm", "bridge", "police station",
           "water plant", "bakery", "university", "refugee camp"]
ACTOR_WORDS = ["Brigade", "Battalion", "Division", "Ministry", "Council", "Office",
               "Commission", "Security", "Solutions", "Watch", "Observatory",
               "Network", "Institute", "Tribunal", "Front", "Army", "Movement",
               "Press", "Monitor", "Centre"]
ACTOR_ADJ = ["Northern", "Central", "Independent", "National", "Popular", "Special",
             "Joint", "Provisional", "Federal", "Regional", "International", "Civic",
             "Free", "United", "Coalition", "Iraqi", "Global", "Human", "Public"]
PUBLICATION = ["Report on", "Statement on", "Briefing on", "Investigation into",
               "Findings on", "Submission on", "Testimony about", "Review of"]
DEMAND_TEXT = ["Independent investigation into", "Prosecution of those responsible for",
               "Reparations for victims of", "Protection of civilians in",
               "Humanitarian access to", "Withdrawal of forces from",
               "Release of detainees held after", "Disclosure of records about"]

WORDS = (
    "the a of in and to was were by with from after during near at on for their "
    "witnesses residents reported that forces unit officers soldiers fighters "
    "convoy vehicle checkpoint house street district village town neighbourhood "
    "morning evening night dawn hours days weeks later earlier following "
    "killed wounded detained arrested missing displaced injured buried "
    "children women men elderly family families relatives neighbours doctors "
    "hospital clinic records statement report inquiry investigation findings "
    "military police ministry spokesperson official officials commander "
    "denied confirmed acknowledged disputed claimed stated described "
    "according several many dozens two three four five at least around "
    "operation raid strike shelling gunfire explosion blast fire smoke "
    "bodies graves evidence photographs footage testimony testimonies "
    "local international independent human rights organisation monitors "
    "journalists lawyers court prosecutors judge hearing case compensation "
    "no further action has been taken since then remains unclear whether "
    "responsibility accountability victims survivors community"
).split()

REGEX_LINK = re.compile(r"\]\(@/incidents/([a-z0-9-]+)\.md\)")


def slugify(text):
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "x"


def fmt_date(d):
    return d.isoformat()


def yq(s):
    """A double-quoted YAML scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ylist(items):
    return "[" + ", ".join(items) + "]"


class Corpus:
    def __init__(self, n):
        self.n = n
        self.rng = random.Random(SEED * 1_000_003 + n)
        self.sentences = self._sentence_pool(3000)
        self.actors = []
        self.sources = []
        self.demands = []
        self.incidents = []
        self._make_actors(max(1, n // 20))
        self._make_sources(max(1, n // 10))
        self._make_incidents(n)
        self._make_demands(max(1, n // 50))

    # ---- text ----------------------------------------------------------
    def _sentence_pool(self, count):
        rng = self.rng
        pool = []
        for _ in range(count):
            words = rng.choices(WORDS, k=rng.randint(8, 22))
            s = " ".join(words)
            pool.append(s[0].upper() + s[1:] + ".")
        return pool

    def paragraph(self, lo=3, hi=6):
        return " ".join(self.rng.choices(self.sentences, k=self.rng.randint(lo, hi)))

    def rand_date(self, start=date(2003, 3, 20), span_days=365 * 8):
        return start + timedelta(days=self.rng.randrange(span_days))

    # ---- entities ------------------------------------------------------
    def _make_actors(self, count):
        rng = self.rng
        for i in range(count):
            kind = ACTOR_KINDS[i % len(ACTOR_KINDS)] if i < len(ACTOR_KINDS) else rng.choice(ACTOR_KINDS)
            title = f"{rng.choice(ACTOR_ADJ)} {rng.choice(ACTOR_ADJ)} {rng.choice(ACTOR_WORDS)}"
            slug = f"{slugify(title)}-{i + 1}"
            self.actors.append({
                "slug": slug, "title": title, "kind": kind,
                "country": rng.choice(COUNTRIES),
            })
        self.publishers = [a["slug"] for a in self.actors if a["kind"] in PUBLISHER_KINDS]
        if not self.publishers:
            self.publishers = [a["slug"] for a in self.actors]

    def _make_sources(self, count):
        rng = self.rng
        for i in range(count):
            d = self.rand_date(span_days=365 * 15)
            gov = rng.choice(GOV_NAMES)
            title = f"{rng.choice(PUBLICATION)} {rng.choice(TARGETS)} attacks in {gov}"
            slug = f"{slugify(title)}-{d.year}-{i + 1}"
            publisher = rng.choice(self.publishers)
            self.sources.append({
                "slug": slug, "title": title, "kind": rng.choice(SOURCE_KINDS),
                "publisher": publisher, "date": d,
                "url": f"https://example.org/{publisher}/{d.year}/{slug}",
                "perspective": self.rng.choice(self.sentences),
            })

    def _make_incidents(self, count):
        rng = self.rng
        actor_slugs = [a["slug"] for a in self.actors]
        source_slugs = [s["slug"] for s in self.sources]
        for i in range(count):
            gov = rng.choice(GOV_NAMES)
            town = rng.choice(GOVERNORATES[gov])
            d = self.rand_date()
            event = rng.choice(EVENTS)
            target = rng.choice(TARGETS)
            title = f"{event} at {target} in {town}"
            slug = f"{d.isoformat()}-{slugify(town)}-{slugify(target)}-{i + 1}"
            if rng.random() < 0.1:
                perps = ["unknown"]
            else:
                perps = rng.sample(actor_slugs, min(len(actor_slugs), rng.randint(1, 3)))
            srcs = rng.sample(source_slugs, min(len(source_slugs), rng.randint(1, 4)))
            lo = rng.randint(0, 40)
            if rng.random() < 0.5:
                killed = {"min": lo, "max": lo + rng.randint(1, 30)}
            else:
                killed = lo
            injured = rng.randint(0, 80)
            steps = []
            sd = d
            for _ in range(rng.randint(0, 3)):
                sd = sd + timedelta(days=rng.randint(5, 900))
                steps.append({"date": sd, "step": rng.choice(STEPS),
                              "note": rng.choice(self.sentences),
                              "source": rng.choice(srcs)})
            self.incidents.append({
                "slug": slug, "title": title, "date": d, "gov": gov, "town": town,
                "summary": f"{event} at a {target} in {town}, {gov} governorate, on {d.isoformat()}.",
                "tags": rng.sample(TAGS, rng.randint(1, 4)),
                "perpetrators": perps,
                "verification": rng.choice(VERIFICATION),
                "killed": killed, "injured": injured,
                "victims": f"{rng.choice(['Residents', 'Families', 'Workers', 'Students', 'Worshippers', 'Farmers'])} of {town}",
                "sources": srcs, "accountability": steps, "demands": [],
            })

    def _make_demands(self, count):
        rng = self.rng
        actor_slugs = [a["slug"] for a in self.actors]
        source_slugs = [s["slug"] for s in self.sources]
        for i in range(count):
            gov = rng.choice(GOV_NAMES)
            title = f"{rng.choice(DEMAND_TEXT)} {rng.choice(TARGETS)} attacks in {gov}"
            slug = f"{slugify(title)}-{i + 1}"
            self.demands.append({
                "slug": slug, "title": title, "kind": rng.choice(DEMAND_KINDS),
                "addressees": rng.sample(actor_slugs, min(len(actor_slugs), rng.randint(1, 3))),
                "raised_by": rng.sample(actor_slugs, min(len(actor_slugs), rng.randint(1, 2))),
                "first_raised": self.rand_date(start=date(2004, 1, 1)),
                "status": rng.choice(DEMAND_STATUS),
                "sources": rng.sample(source_slugs, min(len(source_slugs), rng.randint(1, 3))),
                "incidents": [],
            })
        # Every incident is tied to one demand (a few to two); each demand's
        # own `incidents` list names a few of the incidents tied to it.
        for inc in self.incidents:
            k = 2 if rng.random() < 0.1 and len(self.demands) > 1 else 1
            for dm in rng.sample(self.demands, k):
                inc["demands"].append(dm["slug"])
                if len(dm["incidents"]) < 6:
                    dm["incidents"].append(inc["slug"])
        for dm in self.demands:
            if not dm["incidents"]:
                dm["incidents"].append(rng.choice(self.incidents)["slug"])

    # ---- rendering -----------------------------------------------------
    def incident_link(self):
        other = self.rng.choice(self.incidents)
        return f"[{other['title']}](@/incidents/{other['slug']}.md)"

    def incident_body(self, inc):
        rng = self.rng
        p = []
        p.append("## What happened\n\n" + self.paragraph(4, 7) + " See also "
                 + self.incident_link() + ".\n")
        p.append(self.paragraph(3, 5) + "\n")
        p.append("## Timeline\n\n" + "\n".join(
            f"- **{h:02d}:{rng.choice(['00', '15', '30', '45'])}** {rng.choice(self.sentences)}"
            for h in sorted(rng.sample(range(24), 5))) + "\n")
        killed = inc["killed"]
        kstr = f"{killed['min']}–{killed['max']}" if isinstance(killed, dict) else str(killed)
        p.append("## Casualties\n\n"
                 "| Category | Count | Basis |\n"
                 "| --- | ---: | --- |\n"
                 f"| Killed | {kstr} | {rng.choice(self.sentences)} |\n"
                 f"| Injured | {inc['injured']} | {rng.choice(self.sentences)} |\n"
                 f"| Detained | {rng.randint(0, 30)} | {rng.choice(self.sentences)} |\n"
                 f"| Missing | {rng.randint(0, 10)} | {rng.choice(self.sentences)} |\n")
        p.append("## Official response\n\n" + self.paragraph(4, 6) + "\n")
        p.append("### Outstanding questions\n\n" + "\n".join(
            f"{j}. {rng.choice(self.sentences)}" for j in range(1, rng.randint(3, 5) + 1)) + "\n")
        p.append("## Related incidents\n\n" + "\n".join(
            f"- {self.incident_link()}" for _ in range(rng.randint(3, 5))) + "\n")
        body = "\n".join(p)
        # Pad to ~4 KB with extra context paragraphs.
        extra = []
        while len(body) + sum(len(e) + 1 for e in extra) < 3900:
            extra.append(self.paragraph(3, 5) + "\n")
        if extra:
            body += "\n## Context\n\n" + "\n".join(extra)
        return body

    def write(self, outdir):
        dsite = os.path.join(outdir, "dossier")
        hsite = os.path.join(outdir, "hugo")
        for site in (dsite, hsite):
            for sec in ("incidents", "actors", "sources", "demands"):
                os.makedirs(os.path.join(site, "content", sec), exist_ok=True)

        def both(rel, front, body, hugo_body=None, hugo_front=None):
            text = "---\n" + front + "---\n\n" + body
            with open(os.path.join(dsite, "content", rel), "w", encoding="utf-8") as f:
                f.write(text)
            htext = "---\n" + (front if hugo_front is None else hugo_front) + "---\n\n" \
                + (body if hugo_body is None else hugo_body)
            with open(os.path.join(hsite, "content", rel), "w", encoding="utf-8") as f:
                f.write(htext)

        with open(os.path.join(dsite, "site.toml"), "w", encoding="utf-8") as f:
            f.write(SITE_TOML)
        for rel, text in HUGO_FILES.items():
            path = os.path.join(hsite, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)

        both("_index.md", 'title: "Benchmark dossier"\n',
             f"A generated benchmark corpus of {self.n} incidents.\n\n"
             + self.paragraph(3, 5) + "\n")

        for a in self.actors:
            both(f"actors/{a['slug']}.md",
                 f"title: {yq(a['title'])}\nkind: {a['kind']}\ncountry: {yq(a['country'])}\n",
                 self.paragraph(3, 6) + "\n")
        for s in self.sources:
            front = (f"title: {yq(s['title'])}\nkind: {s['kind']}\npublisher: {s['publisher']}\n"
                     f"date: {fmt_date(s['date'])}\nurl: {yq(s['url'])}\n"
                     f"perspective: {yq(s['perspective'])}\n")
            # `url` is reserved in Hugo's front matter (it sets the page's
            # own URL), so the Hugo copy names the field `link`.
            hfront = front.replace("\nurl: ", "\nlink: ")
            both(f"sources/{s['slug']}.md", front, self.paragraph(2, 4) + "\n",
                 hugo_front=hfront)
        for d in self.demands:
            both(f"demands/{d['slug']}.md",
                 f"title: {yq(d['title'])}\nkind: {d['kind']}\n"
                 f"addressees: {ylist(d['addressees'])}\nraised_by: {ylist(d['raised_by'])}\n"
                 f"first_raised: {fmt_date(d['first_raised'])}\nstatus: {d['status']}\n"
                 f"sources: {ylist(d['sources'])}\nincidents: {ylist(d['incidents'])}\n",
                 self.paragraph(3, 6) + "\n")
        for inc in self.incidents:
            k = inc["killed"]
            killed = f"{{min: {k['min']}, max: {k['max']}}}" if isinstance(k, dict) else str(k)
            front = (
                f"title: {yq(inc['title'])}\n"
                f"summary: {yq(inc['summary'])}\n"
                f"tags: {ylist(inc['tags'])}\n"
                f"date: {fmt_date(inc['date'])}\n"
                f"place: {{name: {yq(inc['town'])}, governorate: {yq(inc['gov'])}}}\n"
                f"perpetrators: {ylist(inc['perpetrators'])}\n"
                f"verification: {inc['verification']}\n"
                f"casualties: {{killed: {killed}, injured: {inc['injured']}}}\n"
                f"victims: {yq(inc['victims'])}\n"
                f"sources: {ylist(inc['sources'])}\n"
                f"demands: {ylist(inc['demands'])}\n"
            )
            if inc["accountability"]:
                front += "accountability:\n" + "".join(
                    f"  - {{date: {fmt_date(s['date'])}, step: {s['step']}, "
                    f"note: {yq(s['note'])}, source: {s['source']}}}\n"
                    for s in inc["accountability"])
            else:
                front += "accountability: []\n"
            body = self.incident_body(inc)
            hbody = REGEX_LINK.sub(lambda m: f"](../{m.group(1)}/)", body)
            both(f"incidents/{inc['slug']}.md", front, body, hbody)


# The generated bodies cite nothing, so the sourcing check would warn about
# every paragraph (34,544 warnings at 10,000 incidents, printed on every
# build and every save in `serve`); a real dossier cites its sources. The
# check is turned off so the benchmark measures building, not warning.
SITE_TOML = """\
title = "Benchmark dossier"
default_language = "en"
theme = "default"
[languages.en]
name = "English"
[check]
uncited_paragraphs = "off"
"""

HUGO_TOML = """\
baseURL = "/"
languageCode = "en"
title = "Benchmark dossier"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
uglyURLs = false
disableHugoGeneratorInject = true
enableRobotsTXT = false

[taxonomies]
tag = "tags"

[markup.goldmark.renderer]
unsafe = false
"""

BASEOF = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
</head>
<body>
<header>
<a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav>
<a href="{{ "/incidents/" | relURL }}">Incidents</a>
<a href="{{ "/actors/" | relURL }}">Actors</a>
<a href="{{ "/sources/" | relURL }}">Sources</a>
<a href="{{ "/demands/" | relURL }}">Demands</a>
<a href="{{ "/tags/" | relURL }}">Tags</a>
</nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><p>{{ .Site.Title }}</p></footer>
</body>
</html>
"""

# Prints the front-matter fields of each kind of page and lists every
# referenced page by its title, looked up with .Site.GetPage.
SINGLE = """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
<dl>
{{ $site := .Site }}
{{ if eq .Section "incidents" }}
<dt>Date</dt><dd>{{ .Date.Format "2 January 2006" }}</dd>
{{ with .Params.place }}<dt>Place</dt><dd>{{ .name }}, {{ .governorate }} governorate</dd>{{ end }}
<dt>Verification</dt><dd>{{ .Params.verification }}</dd>
{{ with .Params.casualties }}
<dt>Killed</dt><dd>{{ with .killed }}{{ if reflect.IsMap . }}{{ .min }}–{{ .max }}{{ else }}{{ . }}{{ end }}{{ else }}0{{ end }}</dd>
<dt>Injured</dt><dd>{{ with .injured }}{{ if reflect.IsMap . }}{{ .min }}–{{ .max }}{{ else }}{{ . }}{{ end }}{{ else }}0{{ end }}</dd>
{{ end }}
<dt>Victims</dt><dd>{{ .Params.victims }}</dd>
<dt>Perpetrators</dt><dd><ul>
{{ range .Params.perpetrators }}{{ if eq . "unknown" }}<li>Unknown</li>{{ else }}{{ with $site.GetPage (printf "/actors/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}{{ end }}
</ul></dd>
<dt>Sources</dt><dd><ul>
{{ range .Params.sources }}{{ with $site.GetPage (printf "/sources/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}
</ul></dd>
<dt>Demands</dt><dd><ul>
{{ range .Params.demands }}{{ with $site.GetPage (printf "/demands/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}
</ul></dd>
<dt>Tags</dt><dd>{{ range .Params.tags }}<a href="{{ printf "/tags/%s/" (urlize .) | relURL }}">{{ . }}</a> {{ end }}</dd>
{{ end }}
{{ if eq .Section "actors" }}
<dt>Kind</dt><dd>{{ .Params.kind }}</dd>
<dt>Country</dt><dd>{{ .Params.country }}</dd>
{{ end }}
{{ if eq .Section "sources" }}
<dt>Kind</dt><dd>{{ .Params.kind }}</dd>
<dt>Publisher</dt><dd>{{ with $site.GetPage (printf "/actors/%s" .Params.publisher) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</dd>
<dt>Date</dt><dd>{{ .Date.Format "2 January 2006" }}</dd>
<dt>URL</dt><dd><a href="{{ .Params.link }}">{{ .Params.link }}</a></dd>
<dt>Perspective</dt><dd>{{ .Params.perspective }}</dd>
{{ end }}
{{ if eq .Section "demands" }}
<dt>Kind</dt><dd>{{ .Params.kind }}</dd>
<dt>Status</dt><dd>{{ .Params.status }}</dd>
<dt>First raised</dt><dd>{{ .Params.first_raised }}</dd>
<dt>Addressees</dt><dd><ul>
{{ range .Params.addressees }}{{ with $site.GetPage (printf "/actors/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}
</ul></dd>
<dt>Raised by</dt><dd><ul>
{{ range .Params.raised_by }}{{ with $site.GetPage (printf "/actors/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}
</ul></dd>
<dt>Sources</dt><dd><ul>
{{ range .Params.sources }}{{ with $site.GetPage (printf "/sources/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}
</ul></dd>
<dt>Incidents</dt><dd><ul>
{{ range .Params.incidents }}{{ with $site.GetPage (printf "/incidents/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}
</ul></dd>
{{ end }}
</dl>
{{ with .Params.accountability }}
<h2>Accountability</h2>
<ol>
{{ range . }}<li>{{ .date }}: {{ .step }} — {{ .note }}{{ with $site.GetPage (printf "/sources/%s" .source) }} (<a href="{{ .RelPermalink }}">{{ .Title }}</a>){{ end }}</li>
{{ end }}
</ol>
{{ end }}
<div class="body">
{{ .Content }}
</div>
</article>
{{ end }}
"""

# Section pages, the home page, the tags index and each tag's page.
LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.summary }} — {{ . }}{{ end }}</li>
{{ end }}
</ul>
{{ end }}
"""

HUGO_FILES = {
    "hugo.toml": HUGO_TOML,
    "layouts/_default/baseof.html": BASEOF,
    "layouts/_default/single.html": SINGLE,
    "layouts/_default/list.html": LIST,
}


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: gen_corpus.py N OUTDIR\n")
        return 2
    try:
        n = int(argv[1])
    except ValueError:
        sys.stderr.write(f"gen_corpus.py: N must be an integer, got {argv[1]!r}\n")
        return 2
    if n < 1:
        sys.stderr.write("gen_corpus.py: N must be at least 1\n")
        return 2
    outdir = argv[2]
    for sub in ("dossier", "hugo"):
        if os.path.exists(os.path.join(outdir, sub)):
            sys.stderr.write(f"gen_corpus.py: {os.path.join(outdir, sub)} already exists\n")
            return 1
    Corpus(n).write(outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
