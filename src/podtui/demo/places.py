"""Where the demo's customers live: real places in each country's own address shape, and carriers.

Plain data so the generator stays small and its output realistic: addresses are real
city/region/postcode triples in each country's own shape, phone numbers follow numbering plans
that `phonenumbers` accepts as valid (fictional ranges where a country has one), and tracking
numbers take each carrier's own shape and link.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    """A real city with its region code (ISO 3166-2 suffix, or "") and one of its postcodes."""

    city: str
    state: str
    postcode: str
    phone_area: str = ""  # the local area code a phone template may use


@dataclass(frozen=True, slots=True)
class CountryPool:
    """How people in one country are named, where they live and how they write addresses."""

    code: str
    places: tuple[Place, ...]
    streets: tuple[str, ...]
    street_format: str  # "{n} {street}" or "{street} {n}" or "{street}, {n}"
    unit_formats: tuple[str, ...]  # address line 2 shapes; "" = none
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    # Phone shape: "#" is a random digit, "{area}" the place's area code, "@" a digit 1-8.
    phone_formats: tuple[str, ...]
    carriers: tuple[str, ...]
    shipping_methods: tuple[str, ...]


P = Place

COUNTRIES: dict[str, CountryPool] = {
    "US": CountryPool(
        "US",
        (
            P("Austin", "TX", "78701", "512"),
            P("Portland", "OR", "97205", "503"),
            P("Brooklyn", "NY", "11201", "718"),
            P("Chicago", "IL", "60614", "312"),
            P("Denver", "CO", "80202", "303"),
            P("San Francisco", "CA", "94103", "415"),
            P("Seattle", "WA", "98101", "206"),
            P("Miami", "FL", "33130", "305"),
            P("Boston", "MA", "02116", "617"),
            P("Nashville", "TN", "37203", "615"),
            P("Louisville", "KY", "40202", "502"),
            P("Minneapolis", "MN", "55401", "612"),
            P("Honolulu", "HI", "96813", "808"),
            P("Anchorage", "AK", "99501", "907"),
        ),
        (
            "Maple Ave",
            "Congress Ave",
            "NW Flanders St",
            "Atlantic Ave",
            "N Milwaukee Ave",
            "Larimer St",
            "Valencia St",
            "Pine St",
            "SW 8th St",
            "Newbury St",
            "Chestnut Street",
            "Hennepin Ave",
            "Kapiolani Blvd",
        ),
        "{n} {street}",
        ("", "", "", "Apt 4B", "Suite 210", "Unit 12", "#305"),
        ("Emily", "Michael", "Jasmine", "Tyler", "Olivia", "DeShawn", "Megan", "Carlos", "Hannah"),
        ("Johnson", "Nguyen", "Garcia", "O'Brien", "Smith", "Patel", "Kowalski", "Rivera", "Brown"),
        ("({area}) 555-01##", "{area}-555-01##", "+1 {area} 555 01##"),
        ("USPS", "USPS", "UPS", "FedEx"),
        ("Standard (5-8 business days)", "Priority", "Express"),
    ),
    "CA": CountryPool(
        "CA",
        (
            P("Toronto", "ON", "M5V 2T6", "416"),
            P("Montréal", "QC", "H2X 1Y4", "514"),
            P("Vancouver", "BC", "V6B 1A1", "604"),
            P("Calgary", "AB", "T2P 1J9", "403"),
            P("Halifax", "NS", "B3J 1S9", "902"),
            P("Ottawa", "ON", "K1P 5G4", "613"),
            P("Winnipeg", "MB", "R3C 0V8", "204"),
        ),
        (
            "Queen St W",
            "rue Saint-Denis",
            "Granville St",
            "Stephen Ave SW",
            "Spring Garden Rd",
            "Elgin St",
            "Portage Ave",
        ),
        "{n} {street}",
        ("", "", "Unit 12", "Apt 1402", "App. 3"),
        ("Chloé", "Liam", "Émilie", "Noah", "Gabrielle", "Ethan", "Siobhan"),
        ("Tremblay", "Gagnon", "MacDonald", "Roy", "Côté", "Singh", "Bouchard"),
        ("({area}) 555-01##", "+1 {area}-555-01##"),
        ("Canada Post", "Canada Post", "UPS"),
        ("Canada Post Expedited", "Standard", "Xpresspost"),
    ),
    "GB": CountryPool(
        "GB",
        (
            P("London", "", "E8 2PB", "020 7946"),
            P("London", "", "N1 9GU", "020 7946"),
            P("Manchester", "", "M1 1AE", "0161 496"),
            P("Edinburgh", "", "EH1 1YZ", "0131 496"),
            P("Bristol", "", "BS1 4DJ", "0117 496"),
            P("Cardiff", "", "CF10 1EP", "029 2018"),
            P("Belfast", "", "BT1 5GS", "028 9018"),
            P("Birmingham", "", "B1 1BB", "0121 496"),
        ),
        (
            "Kingsland Road",
            "Upper Street",
            "Oldham Street",
            "Victoria Street",
            "Park Street",
            "Queen Street",
            "Botanic Avenue",
            "Broad Street",
        ),
        "{n} {street}",
        ("", "", "Flat 3", "Flat 2A", "Unit 7, The Old Mill"),
        ("Oliver", "Amelia", "Harry", "Isla", "George", "Freya", "Aoife", "Rhys"),
        ("Smith", "Jones", "Taylor", "Davies", "Evans", "Fitzgerald", "Ahmed", "Hughes"),
        ("{area} 0###", "078## ######", "+44 74## ######"),
        ("Royal Mail",),
        ("Royal Mail Tracked 48", "Royal Mail Tracked 24", "Standard"),
    ),
    "DE": CountryPool(
        "DE",
        (
            P("Berlin", "", "10115", "030"),
            P("Berlin", "", "10997", "030"),
            P("München", "", "80331", "089"),
            P("Hamburg", "", "20095", "040"),
            P("Köln", "", "50667", "0221"),
            P("Leipzig", "", "04109", "0341"),
            P("Frankfurt am Main", "", "60311", "069"),
        ),
        (
            "Bergmannstraße",
            "Kastanienallee",
            "Sendlinger Straße",
            "Schanzenstraße",
            "Ehrenstraße",
            "Karl-Liebknecht-Straße",
            "Berger Straße",
        ),
        "{street} {n}",
        ("", "", "", "2. OG", "Hinterhaus", "c/o Weber"),
        ("Lukas", "Anna", "Jürgen", "Sophie", "Björn", "Lea", "Maximilian", "Zoë"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Groß", "Bäcker", "Özdemir"),
        ("{area} #######", "0151 ########", "+49 176 ########"),
        ("DHL Paket", "DHL Paket", "Hermes"),
        ("DHL Paket", "Standardversand", "Express"),
    ),
    "FR": CountryPool(
        "FR",
        (
            P("Paris", "", "75011"),
            P("Paris", "", "75018"),
            P("Lyon", "", "69002"),
            P("Marseille", "", "13001"),
            P("Bordeaux", "", "33000"),
            P("Lille", "", "59000"),
            P("Nantes", "", "44000"),
            P("Strasbourg", "", "67000"),
        ),
        (
            "rue Oberkampf",
            "rue des Martyrs",
            "rue de la République",
            "La Canebière",
            "cours de l'Intendance",
            "rue de Béthune",
            "quai de la Fosse",
        ),
        "{n} {street}",
        ("", "", "Bâtiment B", "Appartement 12", "3e étage, porte gauche"),
        ("Léa", "Hugo", "Chloé", "Théo", "Camille", "Anaïs", "Jérôme", "Noémie"),
        ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Faure", "Benoît"),
        ("06 1# ## ## ##", "07 5# ## ## ##", "01 4# ## ## ##", "+33 6 2# ## ## ##"),
        ("Colissimo", "Colissimo", "Chronopost"),
        ("Colissimo", "Livraison standard", "Chronopost Express"),
    ),
    "AU": CountryPool(
        "AU",
        (
            P("Sydney", "NSW", "2000"),
            P("Newtown", "NSW", "2042"),
            P("Melbourne", "VIC", "3000"),
            P("Fitzroy", "VIC", "3065"),
            P("Brisbane", "QLD", "4000"),
            P("Perth", "WA", "6000"),
            P("Adelaide", "SA", "5000"),
            P("Hobart", "TAS", "7000"),
            P("Canberra", "ACT", "2601"),
        ),
        (
            "King Street",
            "Brunswick Street",
            "George Street",
            "Queen Street",
            "Murray Street",
            "Rundle Mall",
            "Elizabeth Street",
        ),
        "{n} {street}",
        ("", "", "Unit 5", "Level 2", "Apartment 1203"),
        ("Jack", "Charlotte", "Lachlan", "Ruby", "Harper", "Cooper", "Mia"),
        ("Wilson", "Taylor", "Anderson", "Thompson", "Nguyen", "Kelly", "Papadopoulos"),
        ("0491 570 1##", "+61 491 570 1##"),
        ("Australia Post",),
        ("Australia Post Parcel Post", "Express Post", "Standard"),
    ),
    "JP": CountryPool(
        "JP",
        (
            P("渋谷区", "13", "150-0041"),
            P("Chiyoda-ku", "13", "100-0001"),
            P("大阪市北区", "27", "530-0001"),
            P("Kyoto", "26", "600-8216"),
            P("札幌市中央区", "01", "060-0001"),
            P("Fukuoka", "40", "810-0001"),
            P("横浜市西区", "14", "220-0011"),
        ),
        (
            "神南1-19-",
            "Marunouchi 1-9-",
            "梅田3-1-",
            "Higashi-Shiokoji 8-",
            "北1条西2-",
            "Tenjin 2-",
        ),
        "{street}{n}",
        ("", "", "Room 502", "〇〇マンション 302号室", "Sunny Heights 201"),
        ("Yuki", "さくら", "Haruto", "陽菜", "Ren", "美咲", "Sota"),
        ("Tanaka", "佐藤", "Suzuki", "高橋", "Watanabe", "伊藤", "Yamamoto"),
        ("090-@###-####", "080-@###-####", "+81 90-@###-####"),
        ("Japan Post", "Yamato Transport"),
        ("Japan Post EMS", "Standard", "Yamato TA-Q-BIN"),
    ),
    "BR": CountryPool(
        "BR",
        (
            P("São Paulo", "SP", "01310-100", "11"),
            P("Rio de Janeiro", "RJ", "22070-011", "21"),
            P("Belo Horizonte", "MG", "30130-010", "31"),
            P("Curitiba", "PR", "80010-000", "41"),
            P("Porto Alegre", "RS", "90010-150", "51"),
            P("Salvador", "BA", "40020-000", "71"),
            P("Recife", "PE", "50030-230", "81"),
        ),
        (
            "Avenida Paulista",
            "Rua Barata Ribeiro",
            "Avenida Afonso Pena",
            "Rua XV de Novembro",
            "Rua dos Andradas",
            "Rua Chile",
            "Rua da Aurora",
        ),
        "{street}, {n}",
        ("", "Apto 52", "Bloco B, apto 1101", "Casa 2", "Sala 804"),
        ("João", "Ana", "Luíza", "Thiago", "Beatriz", "Gonçalo", "Maria Eduarda"),
        ("Silva", "Santos", "Oliveira", "Souza", "Conceição", "Araújo", "Gonçalves"),
        ("({area}) 9####-####", "+55 {area} 9####-####"),
        ("Correios", "DHL Express"),
        ("Correios PAC", "Correios SEDEX", "Standard"),
    ),
    "NL": CountryPool(
        "NL",
        (
            P("Amsterdam", "", "1015 CJ", "020"),
            P("Amsterdam", "", "1017 DA", "020"),
            P("Rotterdam", "", "3011 AD", "010"),
            P("Utrecht", "", "3511 LX", "030"),
            P("Den Haag", "", "2511 CV", "070"),
            P("Eindhoven", "", "5611 AZ", "040"),
            P("Groningen", "", "9711 LV", "050"),
        ),
        (
            "Prinsengracht",
            "Keizersgracht",
            "Witte de Withstraat",
            "Oudegracht",
            "Lange Voorhout",
            "Stratumseind",
            "Oude Ebbingestraat",
        ),
        "{street} {n}",
        ("", "", "huis", "3-hoog", "bus 2"),
        ("Daan", "Sanne", "Lotte", "Thijs", "Femke", "Bram", "Sem"),
        ("de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "van Dijk", "Smit"),
        ("06 1#######", "+31 6 2#######", "{area} ### ####"),
        ("PostNL",),
        ("PostNL Standaard", "Brievenbuspakje", "DHL Express"),
    ),
    "IN": CountryPool(
        "IN",
        (
            P("Mumbai", "MH", "400050"),
            P("Pune", "MH", "411001"),
            P("Bengaluru", "KA", "560034"),
            P("New Delhi", "DL", "110001"),
            P("Chennai", "TN", "600017"),
            P("Kolkata", "WB", "700016"),
        ),
        (
            "Hill Road, Bandra West",
            "FC Road, Shivajinagar",
            "80 Feet Road, Koramangala",
            "Janpath, Connaught Place",
            "Usman Road, T. Nagar",
            "Park Street",
        ),
        "{n}, {street}",
        ("Flat 12B, Sea View Apartments", "House No. 14", "", "3rd Floor, Block C"),
        ("Aarav", "Priya", "Ananya", "Rohan", "Diya", "Vikram", "Sneha"),
        ("Sharma", "Patel", "Iyer", "Reddy", "Banerjee", "Gupta", "Nair"),
        ("98### #####", "+91 97### #####", "88### #####"),
        ("DHL Express", "Blue Dart"),
        ("International Standard", "DHL Express"),
    ),
    "MX": CountryPool(
        "MX",
        (
            P("Ciudad de México", "CMX", "06700", "55"),
            P("Ciudad de México", "CMX", "06140", "55"),
            P("Guadalajara", "JAL", "44100", "33"),
            P("Monterrey", "NLE", "64000", "81"),
            P("Puebla", "PUE", "72000", "222"),
            P("Mérida", "YUC", "97000", "999"),
            P("Oaxaca de Juárez", "OAX", "68000", "951"),
        ),
        (
            "Av. Álvaro Obregón",
            "Calle Ámsterdam",
            "Av. Chapultepec",
            "Calle Padre Mier",
            "Calle 5 de Mayo",
            "Calle 60",
            "Calle Macedonio Alcalá",
        ),
        "{street} {n}",
        ("", "Col. Roma Norte", "Col. Condesa", "Depto 4", "Int. 201"),
        ("José", "María Fernanda", "Sofía", "Diego", "Ximena", "Íker", "Valentina"),
        ("Hernández", "García", "Martínez", "López", "Pérez", "Núñez", "Ramírez"),
        ("55 #### ####", "+52 33 #### ####", "81 #### ####"),
        ("DHL Express", "Estafeta"),
        ("Envío estándar", "DHL Express"),
    ),
    "SE": CountryPool(
        "SE",
        (
            P("Stockholm", "", "111 21"),
            P("Stockholm", "", "116 46"),
            P("Göteborg", "", "411 04"),
            P("Malmö", "", "211 20"),
            P("Uppsala", "", "753 10"),
        ),
        ("Drottninggatan", "Götgatan", "Kungsportsavenyen", "Södergatan", "Svartbäcksgatan"),
        "{street} {n}",
        ("", "", "lgh 1102", "c/o Lindqvist"),
        ("Elsa", "Oskar", "Åsa", "Linnéa", "Björn", "Maja", "Nils"),
        ("Andersson", "Johansson", "Karlsson", "Nilsson", "Ström", "Öberg", "Lindqvist"),
        ("070-### ## ##", "+46 73 ### ## ##", "08-### ### ##"),
        ("PostNord",),
        ("PostNord MyPack", "Standard", "DHL Express"),
    ),
    "IT": CountryPool(
        "IT",
        (
            P("Roma", "RM", "00186"),
            P("Milano", "MI", "20121"),
            P("Firenze", "FI", "50122"),
            P("Napoli", "NA", "80134"),
            P("Torino", "TO", "10121"),
            P("Bologna", "BO", "40121"),
        ),
        ("Via del Corso", "Corso di Porta Ticinese", "Via dei Neri", "Via Toledo", "Via Po"),
        "{street} {n}",
        ("", "", "Scala B, interno 7", "Piano 3"),
        ("Giulia", "Francesco", "Chiara", "Niccolò", "Martina", "Lorenzo", "Aurora"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "D'Angelo"),
        ("34# ### ####", "+39 333 ### ####", "06 #### ####"),
        ("Poste Italiane", "DHL Express", "BRT"),
        ("Spedizione standard", "Corriere espresso"),
    ),
    "ES": CountryPool(
        "ES",
        (
            P("Madrid", "M", "28014"),
            P("Barcelona", "B", "08002"),
            P("Valencia", "V", "46002"),
            P("Sevilla", "SE", "41004"),
            P("Bilbao", "BI", "48001"),
        ),
        (
            "Calle de Alcalá",
            "Carrer de Ferran",
            "Carrer de Colón",
            "Calle Sierpes",
            "Gran Vía de Don Diego López de Haro",
        ),
        "{street}, {n}",
        ("", "2º izquierda", "Piso 3, puerta 2", "Bajo B"),
        ("Lucía", "Hugo", "Martina", "Álvaro", "Paula", "Íñigo", "Alba"),
        ("García", "Fernández", "González", "Rodríguez", "Muñoz", "Ibáñez", "Peña"),
        ("6## ### ###", "+34 612 ### ###", "91 ### ## ##"),
        ("Correos", "SEUR", "DHL Express"),
        ("Envío estándar", "Correos Express"),
    ),
}

# Where each store's customers live (country code, weight).
US_HEAVY = (
    ("US", 55),
    ("CA", 12),
    ("GB", 7),
    ("AU", 6),
    ("DE", 4),
    ("MX", 4),
    ("JP", 3),
    ("BR", 3),
    ("IN", 3),
    ("NL", 3),
)
EU_HEAVY = (
    ("FR", 20),
    ("DE", 20),
    ("NL", 9),
    ("IT", 9),
    ("ES", 9),
    ("SE", 6),
    ("GB", 10),
    ("US", 8),
    ("JP", 4),
    ("CA", 3),
    ("BR", 2),
)
WORLDWIDE = (
    ("GB", 25),
    ("US", 25),
    ("AU", 10),
    ("CA", 8),
    ("DE", 7),
    ("FR", 5),
    ("NL", 4),
    ("SE", 4),
    ("JP", 4),
    ("IN", 3),
    ("MX", 2),
    ("IT", 2),
    ("ES", 1),
)

EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com")

# Tracking: (number shape, URL prefix). "#" digit, "A" capital letter, "X" letter or digit.
TRACKING: dict[str, tuple[str, str]] = {
    "USPS": ("9400111#################", "https://tools.usps.com/go/TrackConfirmAction?tLabels="),
    "UPS": ("1ZXXXXXX03########", "https://www.ups.com/track?tracknum="),
    "FedEx": ("7###########", "https://www.fedex.com/fedextrack/?trknbr="),
    "Canada Post": (
        "################",
        "https://www.canadapost-postescanada.ca/track-reperage/en#/details/",
    ),
    "Royal Mail": ("AA#########GB", "https://www.royalmail.com/track-your-item#/tracking-results/"),
    "DHL Paket": (
        "00340434############",
        "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=",
    ),
    "Hermes": (
        "H1000##############",
        "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#",
    ),
    "Colissimo": ("6A###########", "https://www.laposte.fr/outils/suivre-vos-envois?code="),
    "Chronopost": (
        "XY#########FR",
        "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT=",
    ),
    "Australia Post": ("33XXX#################", "https://auspost.com.au/mypost/track/details/"),
    "Japan Post": (
        "EJ#########JP",
        "https://trackings.post.japanpost.jp/services/srv/search/?requestNo1=",
    ),
    "Yamato Transport": (
        "####-####-####",
        "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=",
    ),
    "Correios": ("NL#########BR", "https://rastreamento.correios.com.br/app/index.php?objetos="),
    "PostNL": ("3SAAAA#######", "https://jouw.postnl.nl/track-and-trace/"),
    "PostNord": ("UA#########SE", "https://tracking.postnord.com/se/?id="),
    "Poste Italiane": (
        "RR#########IT",
        "https://www.poste.it/cerca/index.html#/risultati-spedizioni/",
    ),
    "BRT": (
        "##############",
        "https://vas.brt.it/vas/sped_det_show.hsm?referer=sped_numspe_par.htm&Nspediz=",
    ),
    "Correos": (
        "PQ4B##########X",
        "https://www.correos.es/es/es/herramientas/localizador/envios/detalle?tracking-number=",
    ),
    "SEUR": ("##############", "https://www.seur.com/livetracking/?segOnlineIdentificador="),
    "Estafeta": ("##########", "https://www.estafeta.com/Herramientas/Rastreo?wayBill="),
    "Blue Dart": (
        "###########",
        "https://www.bluedart.com/web/guest/trackdartresult?trackFor=0&trackNo=",
    ),
    "DHL Express": (
        "##########",
        "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=",
    ),
}
