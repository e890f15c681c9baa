"""Write tests/fixtures/espeak_g2p.json: misaki 0.9.4's EspeakG2P answers for kokoro's
eSpeak languages (e: es, f: fr-fr, h: hi, i: it, p: pt-br).

Run with the oracle environment's Python (misaki 0.9.4 + phonemizer installed), never with
the project's:

    ~/.cache/misaki-ref/bin/python -m tools.oracle.espeak_g2p_oracle > tests/fixtures/espeak_g2p.json
"""
import json
import sys

SENTENCES = {
    "es": [
        "Hola, ¿cómo estás? Me llamo Kokoro.",
        "El niño comió 25 manzanas (muy rojas) en 2024.",
        "¡Qué día tan bonito!",
        "Los «zapatos» del señor García son caros; el weekend fue genial.",
        "Chocolate, cerveza y jamón - todo en la mañana…",
    ],
    "fr-fr": [
        "Bonjour, je m'appelle Kokoro.",
        "Un bon vin blanc, s'il vous plaît !",
        "Les enfants (très sages) ont mangé 12 croissants en 2023.",
        "« Où est la gare ? » demanda-t-il au chauffeur.",
        "Le weekend, nous faisons du shopping à Paris.",
    ],
    "hi": [
        "नमस्ते, आप कैसे हैं?",
        "मेरा नाम कोकोरो है।",
        "मैं 25 साल का हूँ (लगभग)।",
        "यह computer बहुत अच्छा है।",
    ],
    "it": [
        "Ciao, come stai? Mi chiamo Kokoro.",
        "Gli gnocchi sono buonissimi (davvero), e costano 12 euro.",
        "Perché l'acqua è così fredda?",
        "Il weekend andiamo a Roma; «che bello»!",
    ],
    "pt-br": [
        "Olá, tudo bem? Meu nome é Kokoro.",
        "Não há pão com manteiga nas mãos dos irmãos.",
        "Ele comprou 3 livros (muito bons) em 2022.",
        "O show de rock foi incrível — um sonho!",
        "Bom dia, cidadão: vamos ao cinema?",
    ],
}
VERSIONS = (None, "2.0")


def main() -> int:
    from misaki import __version__
    from misaki.espeak import EspeakG2P

    cases = []
    for language, sentences in SENTENCES.items():
        for version in VERSIONS:
            g2p = EspeakG2P(language=language, version=version)
            for text in sentences:
                ps, extra = g2p(text)
                cases.append({"language": language, "version": version, "text": text,
                              "phonemes": ps, "second": extra})
    json.dump({"misaki": __version__, "cases": cases}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
