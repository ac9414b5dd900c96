"""The one exception hierarchy of SI Hub; pages and the CLI catch only ``SihubError``."""

from __future__ import annotations


class SihubError(Exception):
    """Base of every error SI Hub raises on purpose; carries a locale key and values."""

    key = "error.generic"

    def __init__(self, detail: str = "", **values: object) -> None:
        super().__init__(detail or self.key)
        self.detail = detail
        self.values = values

    def message(self, lang: str | None = None) -> str:
        """The error in the user's language."""
        from sihub.i18n import t

        return t(self.key, lang=lang, detail=self.detail, **self.values)


class StoreError(SihubError):
    """The DuckDB store cannot be opened or used."""

    key = "error.store"


class StoreTooNewError(StoreError):
    """The store was written by a newer SI Hub than this one."""

    key = "error.store_too_new"


class StoreAddressError(StoreError):
    """A store location that starts like an address but is no PostgreSQL URL."""

    key = "error.store_address"


class StoreLockedError(StoreError):
    """Another process holds the store open for writing."""

    key = "error.store_locked"


class SettingError(SihubError):
    """An environment setting (``SIHUB_…``) does not hold a value SI Hub can use safely."""

    key = "error.setting"


class TodaySettingError(SettingError):
    """``SIHUB_TODAY`` is set to something that is not a date YYYY-MM-DD."""

    key = "error.setting_today"


class UrlSettingError(SettingError):
    """``SIHUB_URL`` is set to something that is not an http(s) address without a query."""

    key = "error.setting_url"


class DataFileError(SihubError):
    """A framework or vocabulary file under data/ is malformed."""

    key = "error.data_file"


class ImportFileError(SihubError):
    """An uploaded file cannot be read at all (not a workbook, corrupt, encrypted, too big)."""

    key = "error.import_file"


class NotAllowedError(SihubError):
    """A viewer asked the library for a change their role may not make (``access.require``)."""

    key = "error.not_allowed"


class NotFoundError(SihubError):
    """A requested record does not exist."""

    key = "error.not_found"
