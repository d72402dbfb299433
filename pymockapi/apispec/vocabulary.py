"""Industry-neutral words the binder matches API names against.

Why data: the binder's machinery is the same for every industry; what
differs is vocabulary.  This module holds the words every industry
shares (people, contact details, addresses, dates, money, ids, paging);
each industry's ``api_words`` module adds its own record types and
fields.  Phrases are lower-case words separated by single spaces, each
word singular, exactly as :func:`pymockapi.apispec.names.words` splits
an API name (``postalCode``, ``postal_code`` and ``POSTAL-CODE`` all read
``postal code``).
"""

from __future__ import annotations

#: Words that end in "s" but are singular already.
SINGULAR_S = frozenset({
    "status", "address", "business", "analysis", "series", "news", "species", "bus", "gas", "alias", "canvas",
    "access", "class", "process", "success", "loss", "tax", "bonus", "census", "campus", "virus", "basis",
    "diagnosis", "prognosis", "axis", "plus", "minus", "previous", "various", "gross", "less", "express",
    "miss", "has", "is", "was", "this", "yes", "its", "us", "gps", "sms", "dns", "https", "always",
    "terms", "thanks", "details", "totals", "savings", "earnings", "deductions", "whereabouts",
})

#: Irregular plurals.
IRREGULAR = {
    "people": "person", "children": "child", "men": "man", "women": "woman", "feet": "foot", "teeth": "tooth",
    "data": "data", "criteria": "criterion", "indices": "index", "matrices": "matrix", "vertices": "vertex",
    "statuses": "status", "addresses": "address", "businesses": "business", "taxes": "tax", "boxes": "box",
    "analyses": "analysis", "diagnoses": "diagnosis", "aliases": "alias", "classes": "class",
    "processes": "process", "bonuses": "bonus", "media": "media", "metadata": "metadata", "ids": "id",
    "uuids": "uuid", "skus": "sku", "urls": "url", "uris": "uri",
}

#: Record field (its last path segment) -> other phrases meaning it, for every industry.
FIELDS: dict[str, tuple[str, ...]] = {
    "display_name": ("name", "full name", "display name", "legal name", "formatted name", "person name",
                     "holder name", "name text", "text", "label", "title"),
    "first_name": ("first name", "given name", "given", "forename", "firstname", "first", "givenname"),
    "last_name": ("last name", "family name", "family", "surname", "lastname", "last", "familyname"),
    "email": ("email", "email address", "e mail", "mail", "mail address", "contact email", "emailaddress",
              "username", "user name", "login", "login name", "sign in name"),  # apps sign people in by email
    "phone": ("phone", "phone number", "telephone", "telephone number", "tel", "mobile", "mobile number",
              "contact number", "cell", "cell phone", "mobile phone", "phonenumber", "e164"),
    "birth_date": ("birth date", "date of birth", "dob", "birthdate", "birthday", "born", "born on"),
    "age": ("age", "age year", "age in year"),
    "sex": ("sex", "gender", "administrative gender", "biological sex", "sex at birth"),
    "address": ("address", "postal address", "home address", "mailing address", "residential address",
                "residence", "billing address", "formatted address"),
    "line1": ("line 1", "address line 1", "street", "street address", "address line", "line", "address 1",
              "street 1", "street line", "street name", "addressline1", "address1"),
    "city": ("city", "town", "locality", "city name", "city or town", "suburb"),
    "state": ("state", "region", "province", "state code", "state or region", "state or province",
              "administrative area", "state province", "county", "subdivision"),
    "zip": ("zip", "zip code", "postal code", "postcode", "post code", "postal", "zipcode", "postalcode"),
    "country": ("country", "country code", "nation", "country name", "iso country"),
    "status": ("status", "state name", "lifecycle status", "current status"),
    "description": ("description", "desc", "summary", "detail", "note", "notes", "memo", "comment", "remark"),
    "website": ("website", "web site", "url", "homepage", "home page", "web"),
}

#: Parts of a money dict (``{"amount", "currency", "display"}``) -> the words naming each.
MONEY_PARTS: dict[str, tuple[str, ...]] = {
    "amount": ("amount", "value", "sum", "total", "net", "gross", "number", "figure", "quantity", "amt",
               "amount value", "cents", "minor unit", "units"),
    "currency": ("currency", "currency code", "ccy", "iso currency", "iso currency code", "currency iso",
                 "code", "currency id", "denomination"),
    "display": ("display", "formatted", "text", "label", "formatted amount", "display amount",
                "display value", "pretty", "string", "readable"),
}

#: Child words that mean "the parent's own value" (``merchant: {name}``, ``name: {text}``).
SELF_WORDS = frozenset({"name", "text", "display", "formatted", "full", "label", "value", "title", "display name",
                        "full name", "formatted name", "full text"})

#: Words that make a property a date or time; stripped before matching the rest.
DATE_WORDS = frozenset({"date", "time", "at", "on", "timestamp", "datetime", "dt", "ts", "day", "utc", "iso",
                        "instant", "moment", "when"})

#: Date phrases that mean "when it began" for any record: matched to the record's earliest-sounding date.
CREATED_WORDS = ("created", "creation", "create", "opened", "open", "issued", "issue", "registered", "since",
                 "joined", "start", "started", "begin", "inserted", "added", "placed", "purchase", "booked")
UPDATED_WORDS = ("updated", "update", "modified", "modification", "changed", "last modified", "last updated",
                 "last update", "edited", "refreshed")

#: Words that make a property an identifier of a record.
ID_WORDS = frozenset({"id", "identifier", "uuid", "guid", "uid", "key", "ref", "reference", "number id"})

#: Words naming a list inside a list body, most usual first.
LIST_WORDS = ("data", "items", "results", "result", "records", "entries", "entry", "content", "values",
              "elements", "rows", "list", "objects", "hits", "collection", "nodes", "edges", "resources",
              "payload", "response")

#: Paging conventions: query parameter words, by convention and role.
PAGING_PARAMS: dict[str, dict[str, tuple[str, ...]]] = {
    "offset": {"offset": ("offset", "skip", "start", "start index", "from", "first"),
               "limit": ("limit", "max result", "top", "count", "take", "max", "size", "max item")},
    "page": {"page": ("page", "page number", "page no", "page index", "pagenumber", "pageno", "p"),
             "per_page": ("per page", "page size", "pagesize", "perpage", "size", "limit", "page limit",
                          "item per page", "result per page", "count", "records per page")},
    "cursor": {"cursor": ("cursor", "starting after", "ending before", "next token", "page token", "after",
                          "before", "continuation", "continuation token", "next", "next cursor", "marker",
                          "next page token", "since id", "from token", "token"),
               "limit": ("limit", "max result", "page size", "size", "count", "max", "per page", "top")},
}

#: Paging and total properties of a list body: role -> the words naming it.
PAGING_FIELDS: dict[str, tuple[str, ...]] = {
    "total": ("total", "total count", "total item", "total result", "total record", "total size", "count",
              "total element", "total number", "num result", "result count", "record count", "item count",
              "total hit", "totalcount"),
    "has_more": ("has more", "more", "has next", "has next page", "more result", "more available",
                 "is truncated", "truncated", "more item"),
    "next": ("next", "next token", "next cursor", "next page token", "next page", "next link", "next url",
             "cursor", "continuation token", "end cursor", "next marker", "next offset", "starting after"),
    "previous": ("previous", "prev", "previous token", "previous page", "prev page", "previous cursor",
                 "start cursor", "prev cursor"),
    "page": ("page", "page number", "current page", "page index", "pagenumber"),
    "per_page": ("per page", "page size", "pagesize", "limit", "size", "item per page"),
    "total_pages": ("total page", "page count", "num page", "number of page", "last page"),
    "offset": ("offset", "skip", "start index", "start"),
}

#: Objects in a list body that hold its paging properties.
PAGING_HOLDERS = frozenset({"pagination", "paging", "page info", "meta", "metadata", "links", "link", "page",
                            "cursor", "pager", "page detail", "page metadata"})

#: Words whose values a typed generator makes well when the world has no field for them.
GENERATORS: dict[str, tuple[str, ...]] = {
    "email": ("email", "email address", "mail"),
    "phone": ("phone", "phone number", "telephone", "mobile", "fax", "tel"),
    "url": ("url", "uri", "link", "href", "website", "homepage", "web site", "callback url", "logo url",
            "image url", "photo url", "image", "photo", "logo", "icon", "avatar", "picture"),
    "currency": ("currency", "currency code", "ccy"),
    "country": ("country", "country code"),
    "language": ("language", "locale", "lang", "language code"),
    "timezone": ("timezone", "time zone", "tz", "zone id"),
    "color": ("color", "colour"),
    "uuid": ("uuid", "guid"),
    "ip": ("ip", "ip address", "ipv4", "ipv6"),
}

#: Formats a generator handles.
GENERATOR_FORMATS = frozenset({"email", "date", "date-time", "time", "uuid", "uri", "url", "uri-reference",
                               "hostname", "ipv4", "ipv6", "idn-email", "iri", "duration", "byte", "password",
                               "int32", "int64", "float", "double", "decimal", "phone", "iso-8601"})

#: A world value -> other spellings of the same state (an API's enum may use any of them).
ENUM_EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "open": ("active", "opened", "enabled", "live", "current", "in use"),
    "active": ("open", "enabled", "live", "current", "valid"),
    "closed": ("inactive", "disabled", "terminated", "ended", "archived"),
    "frozen": ("blocked", "suspended", "locked", "on hold"),
    "completed": ("complete", "done", "finished", "fulfilled", "closed", "succeeded", "success", "paid"),
    "finished": ("completed", "complete", "done", "closed"),
    "pending": ("processing", "in progress", "queued", "waiting", "open", "draft", "unshipped"),
    "cancelled": ("canceled", "void", "voided", "aborted", "revoked", "inactive"),
    "shipped": ("sent", "dispatched", "in transit", "shipping", "fulfilled", "partially shipped"),
    "delivered": ("received", "completed", "fulfilled", "complete"),
    "in_transit": ("shipped", "shipping", "out for delivery", "on the way"),
    "booked": ("scheduled", "confirmed", "pending", "proposed"),
    "refunded": ("returned", "credited", "reimbursed"),
    "verified": ("approved", "confirmed", "passed", "valid"),
    "male": ("m", "man", "masculine"),
    "female": ("f", "woman", "feminine"),
    "debit": ("withdrawal", "outgoing", "out", "dr", "payment", "charge"),
    "credit": ("deposit", "incoming", "in", "cr", "refund"),
    "final": ("finished", "complete", "completed", "amended", "corrected"),
}

#: First words of a path segment that make a POST an action on a record rather than a create.
ACTION_VERBS = frozenset({
    "send", "resend", "remind", "cancel", "void", "approve", "reject", "decline", "close", "reopen", "open",
    "freeze", "unfreeze", "lock", "unlock", "block", "unblock", "activate", "deactivate", "suspend", "resume",
    "generate", "refresh", "sync", "verify", "validate", "confirm", "complete", "submit", "publish",
    "archive", "restore", "ship", "deliver", "refund", "capture", "authorize", "authorise", "settle", "pay",
    "transfer", "move", "copy", "merge", "split", "assign", "unassign", "plan", "schedule", "reschedule",
    "check", "start", "stop", "pause", "enable", "disable", "reset", "revoke", "renew", "calculate",
    "estimate", "preview", "export", "import", "upload", "download", "notify", "share", "link", "unlink",
    "deauthenticate", "authenticate", "login", "logout", "mark", "record", "post", "process", "apply",
    "revert", "retry", "accept", "dispute", "release", "hold", "redeem", "batch",
})

#: Plain text for properties nothing binds, by their phrase (whole, its last two words, or its last
#: word): what such a field holds in real payloads, so an unbound ``admin_area_2`` reads "Austin", not
#: "Admin area 2 7E0B".  Values are industry-neutral; one is picked per record.
PLAIN_VALUES: dict[str, tuple[str, ...]] = {
    "address line 1": ("1420 Maple Avenue", "88 Harbor Street", "310 Oak Lane", "2750 Cedar Boulevard"),
    "line 1": ("1420 Maple Avenue", "88 Harbor Street", "310 Oak Lane", "2750 Cedar Boulevard"),
    "address line": ("1420 Maple Avenue", "88 Harbor Street", "310 Oak Lane", "2750 Cedar Boulevard"),
    "street": ("1420 Maple Avenue", "88 Harbor Street", "310 Oak Lane", "2750 Cedar Boulevard"),
    "address": ("1420 Maple Avenue", "88 Harbor Street", "310 Oak Lane", "2750 Cedar Boulevard"),
    "city": ("San Jose", "Austin", "Seattle", "Chicago", "Boston", "Denver"),
    "state or region": ("CA", "NY", "TX", "WA", "IL", "MA"),
    "region": ("CA", "NY", "TX", "WA", "IL", "MA"),
    "first name": ("Maria", "James", "Aisha", "Tomasz", "Mei", "Daniel"),
    "given name": ("Maria", "James", "Aisha", "Tomasz", "Mei", "Daniel"),
    "surname": ("Alvarez", "Nguyen", "Okafor", "Brennan", "Kowalski", "Haddad"),
    "last name": ("Alvarez", "Nguyen", "Okafor", "Brennan", "Kowalski", "Haddad"),
    "family name": ("Alvarez", "Nguyen", "Okafor", "Brennan", "Kowalski", "Haddad"),
    "content type": ("application/pdf", "image/png", "text/csv"),
    "media type": ("application/pdf", "image/png", "text/csv"),
    "mime type": ("application/pdf", "image/png", "text/csv"),
    "rel": ("self", "next", "edit"),
    "carrier": ("UPS", "FedEx", "USPS", "DHL"),
    "gift wrap level": ("Classic", "Premium"),
    "sex": ("female", "male"),
    "address line 2": ("Suite 210", "Apt 4B", "Floor 3", "Unit 12", "Suite 400"),
    "address line 3": ("Building C", "Rear entrance", "c/o Reception", "East wing"),
    "line 2": ("Suite 210", "Apt 4B", "Floor 3", "Unit 12"),
    "line 3": ("Building C", "Rear entrance", "c/o Reception"),
    "sub building": ("Unit 5", "Flat 2", "Suite 300"),
    "complement": ("Apartment 12", "Block B", "Suite 4"),
    "street type": ("Street", "Avenue", "Road", "Boulevard", "Lane"),
    "admin area 1": ("CA", "NY", "TX", "WA", "IL", "MA"),
    "admin area 2": ("San Jose", "Austin", "Seattle", "Chicago", "Boston", "Denver"),
    "admin area 3": ("Downtown", "Riverside", "Old Town", "Northgate"),
    "admin area 4": ("Westfield", "Hillcrest", "Lakeview", "Midtown"),
    "district": ("Downtown", "Riverside", "Old Town", "Northgate", "Westfield"),
    "neighborhood": ("Hillcrest", "Lakeview", "Midtown", "Riverside"),
    "neighbourhood": ("Hillcrest", "Lakeview", "Midtown", "Riverside"),
    "municipality": ("Springfield", "Fairview", "Madison", "Georgetown"),
    "county": ("King County", "Travis County", "Cook County", "Suffolk County"),
    "prefix": ("Ms.", "Mr.", "Dr.", "Mx."),
    "suffix": ("Jr.", "Sr.", "III", "PhD"),
    "delivery service": ("Standard", "Express", "Next day", "Two-day"),
    "service level": ("Standard", "Expedited", "Next day", "Second day"),
    "service level category": ("Standard", "Expedited", "NextDay", "SecondDay"),
    "payment method": ("Card", "Bank transfer", "Gift card", "Wallet"),
    "method": ("manual", "automatic", "online", "in person"),
    "status": ("active", "pending", "completed", "on hold"),
    "type of unit": ("Hours", "Days", "Items"),
    "unit": ("hours", "days", "items", "kg"),
    "work pattern": ("Monday to Friday, 9 to 5", "Four days on, three off", "Part time, mornings"),
    "exercise category": ("Running", "Cycling", "Strength training", "Swimming", "Walking"),
    "activity type": ("Running", "Cycling", "Strength training", "Swimming", "Walking"),
    "sport": ("Running", "Cycling", "Swimming", "Tennis"),
    "transport modal": ("Road", "Air", "Sea", "Rail"),
    "transport mode": ("Road", "Air", "Sea", "Rail"),
    "order by": ("name", "created", "price"),
    "sort": ("name", "created", "price"),
    "alt": ("Front view", "Side view", "Detail of the fabric", "Shown on a model"),
    "caption": ("Front view", "Side view", "Detail", "In use"),
    "last error": ("Connection timed out after 30 s.", "The provider rejected the token."),
    "warning": ("One value was rounded to two decimals.", "A date without a time was read as midnight."),
    "coercion warning": ("One value was rounded to two decimals.", "A date without a time was read as midnight."),
    "destination type": ("webhook", "s3", "sql"),
    "language": ("en-US", "en-GB", "fr-FR", "de-DE", "es-ES"),
    "locale": ("en-US", "en-GB", "fr-FR", "de-DE"),
    "timezone": ("America/New_York", "America/Chicago", "Europe/London", "America/Los_Angeles"),
    "time zone": ("America/New_York", "America/Chicago", "Europe/London", "America/Los_Angeles"),
    "color": ("Navy", "Charcoal", "Forest green", "Sand"),
    "colour": ("Navy", "Charcoal", "Forest green", "Sand"),
    "size": ("S", "M", "L", "XL"),
    "gender": ("female", "male"),
    "origin": ("US", "CA", "GB", "DE"),
    "currency code": ("USD", "EUR", "GBP", "CAD"),
    "currency": ("USD", "EUR", "GBP", "CAD"),
    "postal code": ("02139", "94107", "78701", "98101", "60614"),
    "zip code": ("02139", "94107", "78701", "98101", "60614"),
    "street number": ("1420", "88", "310", "2750"),
    "street name": ("Maple Avenue", "Harbor Street", "Oak Lane", "Cedar Boulevard"),
    "middle name": ("Rose", "Lee", "Marie", "James"),
    "full name": ("Maria Alvarez", "James Okafor", "Mei Brennan", "Tomasz Kowalski"),
    "alternate full name": ("Maria L. Alvarez", "J. Okafor", "Mei R. Brennan"),
    "panel": ("Comprehensive metabolic panel", "Lipid panel", "Complete blood count", "Thyroid panel"),
    "specimen": ("Serum", "Whole blood", "Plasma", "Urine"),
    "flag": ("normal", "high", "low"),
    "source": ("api", "manual entry", "device sync"),
    "operator": ("automatic", "technician", "clinician"),
}

#: Words of a string property that holds a count, and of one that holds an amount of money.
COUNT_WORDS = frozenset({"quantity", "qty", "count", "units", "number of", "seats", "nights", "pieces"})
AMOUNT_WORDS = frozenset({"amount", "price", "total", "cost", "fee", "balance", "subtotal", "tax", "discount",
                          "charge", "money"})
#: Words of a property that holds a retail barcode (GTIN family), and of a bank account's IBAN.
BARCODE_WORDS = frozenset({"ean", "gtin", "upc", "barcode", "ean13", "gtin13"})
IBAN_WORDS = frozenset({"iban"})
#: Words of a property that holds a file name, and of a link to an image or page.
FILE_WORDS = frozenset({"filename", "file"})
LINK_WORDS = frozenset({"url", "uri", "link", "href", "website", "image", "photo", "picture", "thumbnail", "icon",
                        "logo", "avatar", "instance"})  # instance: RFC 9457's problem URI
#: Words of a property that holds a digest (a hex string).
DIGEST_WORDS = frozenset({"hash", "checksum", "digest", "etag", "fingerprint"})
