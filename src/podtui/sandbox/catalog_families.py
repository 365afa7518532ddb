"""The product families both sandbox catalogues are made of: kinds, brands, options, print areas.

Deterministic (no randomness that changes between runs), so a test or the demo can name an id
and find the same product every time. The vendors' spellings are kept on purpose ("Heather
Grey", "11oz", "XL"): a store says "Gray", "11 oz" or "Extra Large", and podtui has to match them.
"""

from __future__ import annotations

from dataclasses import dataclass

SIZES = ("XS", "S", "M", "L", "XL", "2XL", "3XL")
KID_SIZES = ("XS", "S", "M", "L", "XL")
COLOURS = (
    "White",
    "Black",
    "Navy",
    "Heather Grey",
    "Sport Grey",
    "Dark Heather",
    "Red",
    "Royal",
    "Forest Green",
    "Maroon",
)
COLOUR_CODES = {
    "White": "#ffffff",
    "Black": "#0b0b0b",
    "Navy": "#1f2a44",
    "Heather Grey": "#9a9a9a",
    "Sport Grey": "#b2b2b2",
    "Dark Heather": "#424848",
    "Red": "#c4122f",
    "Royal": "#2d4ea2",
    "Forest Green": "#2a4d32",
    "Maroon": "#5b1f2a",
}


@dataclass(frozen=True)
class Family:
    """A kind of product: the titles it comes under, its makers, options and print areas."""

    kind: str
    audiences: tuple[str, ...]
    styles: tuple[str, ...]
    makers: tuple[tuple[str, str], ...]  # (brand, model)
    options: tuple[tuple[str, tuple[str, ...]], ...]  # (option name, values), in title order
    placements: tuple[str, ...]
    area: tuple[int, int]  # print area of the first placement, pixels (width, height)
    category: int


FAMILIES: tuple[Family, ...] = (
    Family("Tee", ("Unisex", "Women's", "Men's", "Youth"),
           ("Heavy Cotton", "Jersey Short Sleeve", "Softstyle", "Premium", "Organic",
            "Garment-Dyed", "Triblend", "Heavyweight"),
           (("Gildan", "5000"), ("Bella+Canvas", "3001"), ("Next Level", "3600"),
            ("Comfort Colors", "1717"), ("Stanley/Stella", "STTU169")),
           (("color", COLOURS), ("size", SIZES)), ("front", "back"), (4500, 5400), 24),
    Family("Hoodie", ("Unisex", "Women's", "Kids'"),
           ("Heavy Blend Hooded Sweatshirt", "Premium Pullover", "Zip", "Midweight", "Fleece"),
           (("Gildan", "18500"), ("Independent Trading Co.", "SS4500"), ("Champion", "S700")),
           (("color", COLOURS[:8]), ("size", SIZES)), ("front", "back"), (4200, 4800), 6),
    Family("Sweatshirt", ("Unisex", "Women's"), ("Crewneck", "Heavy Blend", "Garment-Dyed"),
           (("Gildan", "18000"), ("Comfort Colors", "1566")),
           (("color", COLOURS[:8]), ("size", SIZES)), ("front", "back"), (4200, 4800), 6),
    Family("Long Sleeve Tee", ("Unisex", "Women's", "Men's"), ("Classic", "Ultra Cotton"),
           (("Gildan", "2400"), ("Bella+Canvas", "3501")),
           (("color", COLOURS[:6]), ("size", SIZES)), ("front", "back", "sleeve_left"),
           (4200, 4800), 24),
    Family("Tank Top", ("Unisex", "Women's"), ("Jersey", "Racerback", "Muscle"),
           (("Bella+Canvas", "3480"), ("Next Level", "1533")),
           (("color", COLOURS[:5]), ("size", SIZES[:6])), ("front", "back"), (3600, 4800), 24),
    Family("Kids Tee", ("Kids'", "Toddler", "Youth"), ("Heavy Cotton", "Fine Jersey"),
           (("Gildan", "5000B"), ("Rabbit Skins", "3321")),
           (("color", COLOURS[:5]), ("size", KID_SIZES)), ("front",), (3300, 3900), 24),
    Family("Mug", ("",), ("Ceramic", "Accent", "Enamel", "Color Morphing", "Glossy"),
           (("Generic brand", "Mug 11oz"), ("ORCA", "Ceramic Mug")),
           (("size", ("11oz", "15oz")), ("color", ("White", "Black"))), ("front",),
           (2700, 1120), 112),
    Family("Travel Mug", ("",), ("Stainless Steel", "Insulated"),
           (("Generic brand", "TM-20"),), (("size", ("14oz", "20oz")),), ("front",),
           (2400, 1700), 112),
    Family("Poster", ("",), ("Matte Vertical", "Matte Horizontal", "Glossy", "Premium Satin"),
           (("Generic brand", "Poster"),),
           (("size", ('11" x 14"', '12" x 18"', '18" x 24"', '24" x 36"')),), ("front",),
           (5400, 7200), 55),
    Family("Canvas", ("",), ("Gallery Wrap", "Stretched", "Framed"),
           (("Generic brand", "Canvas 1.25in"),),
           (("size", ('12" x 12"', '16" x 20"', '24" x 36"')),), ("front",), (4800, 6000), 55),
    Family("Tote Bag", ("",), ("Cotton Canvas", "Organic", "Heavy"),
           (("Liberty Bags", "8502"), ("Generic brand", "Tote")),
           (("color", ("Natural", "Black")), ("size", ('15" x 16"',))), ("front", "back"),
           (3000, 3300), 60),
    Family("Phone Case", ("",), ("Tough", "Slim", "Clear", "Biodegradable"),
           (("Case-Mate", "Tough Case"),),
           (("size", ("iPhone 14", "iPhone 15", "iPhone 15 Pro", "Samsung Galaxy S23")),
            ("surface", ("Glossy", "Matte"))), ("front",), (1200, 2400), 117),
    Family("Sticker", ("",), ("Kiss-Cut", "Die-Cut", "Transparent"),
           (("Generic brand", "Sticker"),),
           (("size", ('2" x 2"', '3" x 3"', '4" x 4"', '6" x 6"')),), ("front",), (1200, 1200),
           202),
    Family("Dad Hat", ("Unisex",), ("Classic", "Low Profile", "Embroidered"),
           (("Yupoong", "6245CM"), ("Richardson", "112")),
           (("color", ("Black", "Navy", "White", "Khaki")), ("size", ("One size",))), ("front",),
           (1200, 525), 42),
    Family("Beanie", ("Unisex",), ("Cuffed", "Knit", "Pom-Pom"), (("Sportsman", "SP12"),),
           (("color", ("Black", "Navy", "Heather Grey", "Red")), ("size", ("One size",))),
           ("front",), (1500, 525), 42),
    Family("Socks", ("Unisex",), ("Crew", "Sublimation", "Ankle"), (("Generic brand", "Socks"),),
           (("size", ("S", "M", "L")),), ("front",), (1400, 3000), 75),
    Family("Pillow", ("",), ("Spun Polyester Square", "Faux Suede", "Outdoor"),
           (("Generic brand", "Pillow"),), (("size", ('14" x 14"', '18" x 18"', '20" x 20"')),),
           ("front", "back"), (2400, 2400), 86),
    Family("Blanket", ("",), ("Velveteen Plush", "Sherpa Fleece", "Arctic Fleece"),
           (("Generic brand", "Blanket"),), (("size", ('30" x 40"', '50" x 60"', '60" x 80"')),),
           ("front",), (6000, 7200), 86),
    Family("Apron", ("Unisex",), ("Cotton", "Bib"), (("Generic brand", "Apron"),),
           (("color", ("Black", "White")), ("size", ("One size",))), ("front",), (2400, 2700), 86),
    Family("Notebook", ("",), ("Spiral", "Hardcover Journal", "Softcover"),
           (("Generic brand", "Notebook"),), (("size", ('5" x 7"', '6" x 8"')),), ("front",),
           (1800, 2400), 97),
    Family("Mouse Pad", ("",), ("Rectangular", "Gaming", "Round"), (("Generic brand", "Pad"),),
           (("size", ('9" x 7"', '31" x 15"')),), ("front",), (2700, 2100), 97),
    Family("Puzzle", ("",), ("Jigsaw", "Kids"), (("Generic brand", "Puzzle"),),
           (("size", ("110 pcs", "252 pcs", "520 pcs", "1014 pcs")),), ("front",), (3000, 2400),
           97),
    Family("Ornament", ("",), ("Ceramic", "Metal", "Acrylic"), (("Generic brand", "Ornament"),),
           (("size", ("Round", "Star", "Heart", "Snowflake")),), ("front",), (900, 900), 86),
    Family("Water Bottle", ("",), ("Stainless Steel", "Sport"), (("Generic brand", "Bottle"),),
           (("size", ("17oz", "32oz")), ("color", ("White", "Black"))), ("front",), (2100, 1500),
           112),
    Family("Leggings", ("Women's",), ("High Waisted", "Capri", "Yoga"),
           (("Generic brand", "AOP Leggings"),), (("size", SIZES[:6]),), ("front",),
           (4500, 9000), 24),
)  # fmt: skip


def option_sets(family: Family) -> list[dict[str, str]]:
    """Every combination of the family's options, in catalogue order (first option slowest)."""
    combos: list[dict[str, str]] = [{}]
    for name, values in family.options:
        combos = [{**c, name: v} for c in combos for v in values]
    return combos


def variant_title(options: dict[str, str]) -> str:
    """`Heather Grey / XS`: colour first, the way both vendors title their variants."""
    order = ["color"] + [k for k in options if k != "color"]
    return " / ".join(options[k] for k in order if k in options)
