"""Quality checks for nayose (no Dagster): pandera schemas, quarantine, quality
rules and scores, match KPIs, thresholds and the quality report.

Modules, by what they own:

- ``schemas``     pandera models of the mapped and standardized frames, and the
                  conversion of their failures into rows without personal data
- ``quarantine``  splitting a mapped frame into admitted records and quarantine rows
- ``rules``       rule results (passed / evaluated counts) per source, field, dimension
- ``scores``      roll-up of rule results into 0..100 scores with dimension weights
- ``thresholds``  per-source rejection thresholds (pass / warn / fail)
- ``field_loss``  mapped fields a source lost wholesale in standardization (warned about)
- ``match_kpis``  duplicate rate, cluster sizes, match-weight histogram, review backlog
- ``report``      the JSON report, its self-contained HTML page and small Dagster charts
- ``chart_rendering``  vl-convert for those charts, in a child process a CLI run starts
"""
