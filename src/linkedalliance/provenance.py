"""Quotes to evidence: find each curated quote in its document and describe where it stands.

A curated fact says ``la:quote "exact words"``. :func:`attach_evidence` replaces that by an
``la:Evidence`` node, a W3C Web Annotation ``oa:SpecificResource`` on the document with a
``oa:TextQuoteSelector`` (exact, prefix, suffix) and a ``oa:TextPositionSelector`` (start,
end), plus the same offsets in NIF terms. Offsets are code points of the normalised text,
0-based and end-exclusive; :func:`verify_span` is the check anyone can re-run.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .corpus import Document
from .errors import QuoteNotFound
from .namespaces import LA, NIF, OA, IriScheme

#: Characters of context kept on each side of a quote, so that the quote can be
#: re-anchored if the source re-renders (oa:prefix / oa:suffix).
CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def locate_quote(document: Document, quote: str, *, source: str) -> Span:
    """Where ``quote`` stands in the document; it must occur exactly once."""
    if not quote.strip():
        raise QuoteNotFound(source, document.doc_id, quote, "is empty")
    start = document.text.find(quote)
    if start < 0:
        raise QuoteNotFound(source, document.doc_id, quote, _mismatch(document.text, quote))
    if document.text.find(quote, start + 1) >= 0:
        count = document.text.count(quote)
        raise QuoteNotFound(
            source, document.doc_id, quote, f"occurs {count} times; lengthen it to make it unique"
        )
    return Span(start, start + len(quote))


def _mismatch(text: str, quote: str) -> str:
    """Say where a quote stops matching, so the curator can fix the right character."""
    lo, hi = 0, len(quote)  # longest prefix of the quote found in the text (monotone)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return "is not found verbatim (no part of it occurs in the text)"
    at = text.find(quote[:lo]) + lo
    return (
        f"is not found verbatim: it matches up to {quote[max(0, lo - 30) : lo]!r}, then the "
        f"quote has {quote[lo : lo + 20]!r} where the document has {text[at : at + 20]!r} "
        "(check quotes, dashes, spaces)"
    )


def verify_span(text: str, start: int, end: int, exact: str) -> bool:
    """The published check: the text between the offsets is the quote.

    >>> verify_span("Belarus joins the SCO", 14, 21, "the SCO")
    True
    """
    return 0 <= start < end <= len(text) and text[start:end] == exact


def add_evidence_node(graph: Graph, scheme: IriScheme, document: Document, span: Span) -> URIRef:
    """Describe one span of a document; return the evidence IRI (stable for a span)."""
    doc = scheme.document(document.doc_id)
    node = scheme.span(document.doc_id, span.start, span.end)
    quote_sel = scheme.quote_selector(document.doc_id, span.start, span.end)
    pos_sel = scheme.position_selector(document.doc_id, span.start, span.end)
    text = document.text
    exact = text[span.start : span.end]
    prefix = text[max(0, span.start - CONTEXT_CHARS) : span.start]
    suffix = text[span.end : span.end + CONTEXT_CHARS]
    graph.add((node, RDF.type, LA.Evidence))
    graph.add((node, RDF.type, OA.SpecificResource))
    graph.add((node, OA.hasSource, doc))
    graph.add((node, OA.hasSelector, quote_sel))
    graph.add((node, OA.hasSelector, pos_sel))
    graph.add((node, NIF.beginIndex, Literal(span.start, datatype=XSD.nonNegativeInteger)))
    graph.add((node, NIF.endIndex, Literal(span.end, datatype=XSD.nonNegativeInteger)))
    graph.add((node, NIF.referenceContext, doc))
    graph.add((quote_sel, RDF.type, OA.TextQuoteSelector))
    graph.add((quote_sel, OA.exact, Literal(exact)))
    graph.add((quote_sel, OA.prefix, Literal(prefix)))
    graph.add((quote_sel, OA.suffix, Literal(suffix)))
    graph.add((pos_sel, RDF.type, OA.TextPositionSelector))
    graph.add((pos_sel, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
    graph.add((pos_sel, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
    return node


def attach_evidence(graph: Graph, scheme: IriScheme, document: Document) -> int:
    """Turn every ``la:quote`` in ``graph`` into ``la:evidence``; return how many quotes.

    Raises :class:`QuoteNotFound` naming the curation file and the quote when a quote is
    not verbatim in the document, or not unique.
    """
    source = str(document.curation_path)
    quotes = sorted(graph.triples((None, LA.quote, None)))
    for subject, _, quote in quotes:
        span = locate_quote(document, str(quote), source=source)
        evidence = add_evidence_node(graph, scheme, document, span)
        graph.remove((subject, LA.quote, quote))
        graph.add((subject, LA.evidence, evidence))
    return len(quotes)
