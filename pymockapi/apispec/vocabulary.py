"""Industry-neutral words the binder matches API names against.

Why data: the binder's machinery is the same for every industry; what
differs is vocabulary.  This module holds the words every industry
shares (people, contact details, addresses, dates, money, ids, paging);
each industry's ``api_words`` module adds its own record types and
fields.  Phrases are lower-case words separated by single spaces, each
word singular, exactly as :func:`pymockapi.apispec.binder.words` splits
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
    "processes": "process", "bonuses": "bonus", "media": "media", "metadata": "metadata",
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
