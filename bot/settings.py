"""Runtime settings, read once from environment variables with safe development defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_PLACEHOLDER = "dev-only-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KEFU_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'kefu.db'}",
        validation_alias=AliasChoices("DATABASE_URL", "KEFU_DATABASE_URL"),
    )
    shop_api_key: SecretStr = SecretStr(f"{DEV_PLACEHOLDER}-shop-key")
    widget_secret: SecretStr = SecretStr(f"{DEV_PLACEHOLDER}-widget-secret")
    session_secret: SecretStr = SecretStr(f"{DEV_PLACEHOLDER}-session-secret")
    session_ttl_seconds: int = 12 * 3600
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 15.0
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    # The complaint triage model (make train builds it); without it /api/v1/triage answers 503.
    triage_model_dir: Path = PROJECT_ROOT / "models" / "triage"
    # Ticket and order events are POSTed here (signed with the secret); None keeps them queued.
    shop_webhook_url: str | None = None
    shop_webhook_secret: SecretStr = SecretStr(f"{DEV_PLACEHOLDER}-webhook-secret")
    webhook_timeout_seconds: float = 10.0
    # How often deadlines are applied and the outbox delivered; 0 turns the scheduler off.
    scheduler_interval_seconds: float = 30.0
    attachment_max_bytes: int = 5 * 1024 * 1024
    # Outside every served folder: uploads are read back only through code.
    upload_dir: Path = PROJECT_ROOT / "var" / "uploads"
    # Shop sites that embed the widget from another origin (comma-separated, e.g.
    # "https://shop.example,https://m.shop.example"); empty: the widget's own origin only.
    widget_origins: str = ""

    @property
    def widget_origin_list(self) -> list[str]:
        return [
            origin.strip().rstrip("/")
            for origin in self.widget_origins.split(",")
            if origin.strip()
        ]

    @model_validator(mode="after")
    def _no_placeholder_secrets_in_production(self) -> Settings:
        if self.environment == "production":
            for name in (
                "shop_api_key",
                "widget_secret",
                "session_secret",
                "shop_webhook_secret",
            ):
                secret: SecretStr = getattr(self, name)
                if secret.get_secret_value().startswith(DEV_PLACEHOLDER):
                    raise ValueError(f"KEFU_{name.upper()} must be set in production")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
