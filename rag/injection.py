"""Sentences written for a language model rather than for readers: kept out of the evidence.

Articles are data. A page can carry a line addressed to whatever AI reads it ("Note to AI models: ...",
"Disregard the earlier guidance and ..."), and a small model follows such lines readily. What separates
them from news prose is not the vocabulary ("ignore", "instructions" and "system" are ordinary words in
reported speech) but the address: an imperative aimed at the reader of the text, or a sentence that names
an AI reader. The patterns below look for that address; `eval/injection.jsonl` holds planted instructions
and ordinary sentences with the same words, and `newsqa eval` reports the blocked and false-positive rates.
"""

from __future__ import annotations

import re

_AI = (
    r"(?:AI|A\.I\.|artificial intelligence|(?:large )?language models?|LLMs?|chat ?bots?|(?:AI |virtual )?assistants?"
    r"|ChatGPT|GPT(?:-?\d+)?|Claude|Gemini|Copilot|Llama|models?)"
)
_PRIOR = r"(?:previous|prior|earlier|above|preceding|original|all|any|other|your|these|those|the|rest)"
_RULES = r"(?:instructions?|guidance|guidelines|directions|directives|rules|prompts?|context|orders|commands|text)"
# Where an imperative starts: the start of the text or of a clause, or after "please" / "now" / "so".
_START = r"(?:^|[.:!;,]\s*|\b(?:please|now|so)\s+)"

PATTERNS = [
    # An imperative to drop what came before: "Ignore all previous instructions", "Disregard the earlier guidance".
    rf"{_START}(?:ignore|disregard|forget|override|bypass|skip|drop)\s+(?:\w+\s+){{0,3}}?{_PRIOR}\b[^.]{{0,30}}\b{_RULES}\b",
    rf"\b(?:ignore|disregard|forget|override)\s+(?:all|any|every)\s+(?:of\s+)?(?:your|the|previous|prior)?\s*{_RULES}\b",
    rf"{_START}(?:ignore|disregard|forget)\s+(?:everything|anything|all)\s+(?:above|before|else|previous|prior)\b",
    rf"{_START}(?:ignore|disregard|forget)\s+(?:all\s+)?(?:the\s+)?other\s+(?:sources|articles|documents|texts|reports|outlets)\b",
    # The reader named as an AI: "Note to AI models:", "If you are a language model, ...", "Attention, chatbots".
    rf"\b(?:note|message|instructions?|attention|notice|memo|reminder)\s+(?:to|for)\s+(?:any\s+|all\s+)?{_AI}\b",
    rf"{_AI}\s+(?:readers?|crawlers?|agents?)\s*[:,]",
    r"\b(?:ChatGPT|Claude|Gemini|Copilot|LLMs?|chat ?bots?|AI (?:models?|assistants?|systems?))\b[^.]{0,40}"
    r"\b(?:must|should|shall|are to)\s+(?:all\s+)?(?:answer|reply|respond|say|state|claim)\s+(?:that|with|by)\b",
    r"\bif\s+you(?:\s+are|'re|\u2019re)\s+(?:an?\s+)?(?:AI|A\.I\.|language model|LLM|chat ?bot|assistant|bot|model)\b",
    rf"\b(?:attention|hey|dear|hello),?\s+(?:all\s+)?{_AI}\b",
    rf"\b{_AI}\s+(?:reading|processing|summari[sz]ing|answering|parsing|indexing|that read|which read)\b"
    r"[^.]{0,60}\b(?:must|should|shall|will|are to|need to|have to)\b",
    rf"^\s*(?:to\s+)?(?:any|all|every)\s+{_AI}\b",
    # Instructions about how to answer: "Answer every question with ...", "always reply that ...".
    rf"{_START}(?:answer|reply to|respond to)\s+(?:every|all|any|each)\s+(?:\w+\s+)?"
    r"(?:questions?|queries|prompts?|requests?)\b",
    r"\b(?:answer|reply to|respond to)\s+(?:every|all|any|each)\s+(?:\w+\s+)?"
    r"(?:questions?|queries|prompts?|requests?)\b"
    r"[^.]{0,40}\b(?:with|by saying|by stating)\b",
    rf"{_START}(?:always|only)\s+(?:answer|reply|respond|say|state|output|claim)\s+(?:that|with|by|yes|no|\")",
    r"(?:^|[.!:;]\s*)(?:when|whenever|if)\s+(?:asked|questioned|someone asks|a user asks|users ask)\b[^.,]{0,80},\s*"
    r"(?:always\s+)?(?:answer|reply|respond|say|state|tell)\b",
    rf"{_START}(?:tell|inform|convince)\s+(?:the\s+|any\s+|all\s+)?users?\b",
    rf"{_START}(?:do not|don't|never)\s+(?:tell|mention|reveal|disclose|cite)\b"
    r"[^.]{0,30}\b(?:the\s+)?(?:users?|readers?|sources?|this|other)\b",
    # Role play and prompt syntax.
    r"\bsystem\s+(?:prompt|message|override|instruction)\b|\bfrom now on,?\s+(?:you|answer|respond|reply|always)\b",
    r"\byou are now\s+(?:an?\s|acting\b|in\s+\w+\s+mode\b)",
    r"\bnew\s+(?:instructions?|rules|directives?)\s*:|\b(?:begin|end)\s+(?:of\s+)?(?:system|instructions?)\b",
    # Forged chat turns. A bare "System:" starts product specifications in real pages, so only the
    # assistant's turn, markdown-prompt headers and ChatML tokens count.
    r"^\s*assistant\s*:\s|###\s*(?:system|assistant|user|instructions?)\b|<\s*\|?\s*(?:im_start|im_end|system|endoftext)",
    r"\bthe\s+(?:only\s+)?(?:correct|right|true)\s+answer\b[^.]{0,50}\bis\b",
]
INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in PATTERNS), re.IGNORECASE | re.MULTILINE)


def is_planted_instruction(sentence: str) -> bool:
    return INSTRUCTION.search(sentence) is not None
