"""What the demo's customers write and operators say: personalization values, notes, hold reasons.

The personalization values are chosen to break naive renderers (accents, emoji sequences, other
scripts, apostrophes, very long and empty values).
"""

from __future__ import annotations

# Personalization values, chosen to break naive renderers: accents, emoji (with ZWJ sequences),
# Cyrillic, Japanese, Arabic, Greek, Korean, Devanagari, apostrophes, very long and empty values.
NAMES = (
    "Zoë",
    "José María",
    "François",
    "Björn",
    "Łucja",
    "Søren",
    "Ngọc Anh",
    "Наташа",
    "Дмитрий",
    "さくら",
    "山田 太郎",
    "ليلى",
    "محمد",
    "Αλέξανδρος",
    "지민",
    "प्रिया",
    "O'Connor",
    "Anne-Sophie",
    "Mia 💖",
    "Grandpa Joe 🎣",
    "👨‍👩‍👧 The Parkers",
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Maximilian Alexander von Hohenzollern-Sigmaringen",
    "",
)
MULTI_NAMES = (
    "Anna, Ben, Cleo",
    "Mom\nDad",
    "Léa / Hugo / Théo / Zoé",
    "Sakura, Haruto",
    "Оля, Маша",
    "Nana · Papa",
)
DATES = (
    "2024-06-15",
    "15.06.2024",
    "06/15/2024",
    "June 15th, 2024",
    "15 juin 2024",
    "令和6年6月15日",
    "EST. 1987",
    "12 · 08 · 2023",
    "",
)
PET_NAMES = (
    "Biscuit",
    "Mochi 🍡",
    "Señor Whiskers",
    "Фунтик",
    "ポチ",
    "Bella",
    "Sir Barks-a-Lot",
    "Ziggy",
)
TAGLINES = (
    "World's okayest cat",
    "Ich bin ein Hundemensch",
    "Meilleur chien du monde",
    "犬が好き",
    "Good boy 🐾",
    "Лучший пёс",
    "أفضل قطة في العالم",
    "",
)
COUPLES = (
    "Zoë & Björn",
    "Léa + Hugo",
    "Наташа и Дмитрий",
    "さくら ♡ 陽翔",
    "Sam & Alex",
    "ليلى وعمر",
)
VOWS = (
    "I promise to love you, to laugh with you, and to always save you the last slice of pizza. "
    "Through every season and every storm, I choose you, today and every day after.",
    "Je te promets de t'aimer, de te respecter et de te faire rire, même les lundis matin. "
    "Tu es mon plus beau voyage.",
    "Ich verspreche dir, an deiner Seite zu stehen, in guten wie in schlechten Zeiten,\n"
    "und jeden Sonntag Pfannkuchen zu machen.",
    "あなたと出会えたことが、私の人生でいちばんの幸せです。これからもずっと一緒に歩いていこう。",
    "Обещаю любить тебя всегда, беречь и поддерживать во всём. Ты — мой дом.",
    "Two hearts, one home. ❤️🏡",
    "To my best friend, my partner in crime and the love of my life: from our first coffee at "
    "Café Lumière on a rainy Tuesday to this very moment, every single day with you has been an "
    "adventure I would not trade for anything in the world. Here's to forever — and to the dog "
    "we are definitely getting next spring.",
)
FAMILIES = (
    "The Müller Family",
    "Familia Rodríguez",
    "Семья Ивановых",
    "田中家",
    "آل سعيد",
    "The O'Neills",
    "Famille Lefèvre",
    "Οικογένεια Παπαδοπούλου",
)
YEARS = ("2024", "1998", "Est. 2011", "MMXXIV", "2025 ✨")
INITIALS = ("A.B.", "ÉLM", "Ж.К.", "❤ J+K", "MJ", "ÅÖ", "T&S")  # noqa: RUF001 - Cyrillic on purpose
CITIES = ("Montréal", "København", "Zürich", "東京", "São Paulo", "Reykjavík", "Kraków", "Київ")
COORDINATES = ("45.5017° N, 73.5673° W", "55°40′34″N 12°34′06″E", "35.6762, 139.6503", "")  # noqa: RUF001

# Hold reasons an operator (or a vendor) gives.
HOLD_REASONS = (
    "Customer asked to change the name; waiting for their reply",
    "Awaiting BACS payment",
    "Address looks incomplete; emailed the customer",
    "Photo too low-res for 24x36; asked customer for a better one",
    "Vendor hold: Printify flagged the print area overflow on the back",
    "Rush order: confirm ship date with the customer before printing",
)

NOTES = (
    "Customer emailed: please rush, the wedding is on the 14th.",
    "Called to confirm the spelling of the name — it really is written this way.",
    "Gift: do not include a packing slip with prices.",
    "Repeat customer, 3rd order this year. Add a thank-you card.",
    "Customer wants the date in the European format (DD.MM.YYYY).",
    "Asked Printify support about the delay, ticket #48213.",
    "Reprint approved at our cost: first mug arrived chipped (photo in the inbox).",
    "Amazon buyer message: 'Can you gift wrap it?' Replied that we can't on Amazon orders.",
    "Etsy convo: customer sent a new photo of the dog, linked it to the item.",
    "Address corrected by phone: apartment number was missing.",
    "Le client demande une livraison avant Noël.",
    "お客様より: 名前の漢字を確認済み。",
)

CUSTOMER_NOTES = (
    "",
    "",
    "",
    "",
    "Please put one name on each mug!",
    "It's a surprise, please don't include the receipt.",
    "Leave the parcel with the neighbour at no. 12 if I'm out.",
    "Merci de bien respecter les accents 🙏",
    "Can you make the text a bit bigger?",
    "Bitte vor dem 20. liefern, danke!",
)

OPERATORS = ("maria", "tom", "aiko")
