"""Encryption at rest: sealed values open only with a configured key; rotation keeps them."""

import pytest
from cryptography.fernet import Fernet

from workflow.crypto import DecryptionError, Vault

HASH_KEY = b"k" * 40


def test_a_sealed_value_holds_no_plaintext_and_opens_again() -> None:
    vault = Vault([Fernet.generate_key().decode()], HASH_KEY)
    token = vault.seal("Zwaantje Ölçer")
    assert b"Zwaantje" not in token
    assert vault.open(token) == "Zwaantje Ölçer"


def test_after_rotation_old_data_opens_and_reseal_moves_it_to_the_newest_key() -> None:
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = Vault([old_key], HASH_KEY).seal("geheim")
    rotated = Vault([new_key, old_key], HASH_KEY)
    assert rotated.open(token) == "geheim"
    resealed = rotated.reseal(token)
    assert Vault([new_key], HASH_KEY).open(resealed) == "geheim"


def test_a_value_under_an_unknown_key_raises_a_clear_error() -> None:
    token = Vault([Fernet.generate_key().decode()], HASH_KEY).seal("x")
    with pytest.raises(DecryptionError):
        Vault([Fernet.generate_key().decode()], HASH_KEY).open(token)


def test_the_blind_index_matches_equal_addresses_whatever_case_or_spacing() -> None:
    vault = Vault([Fernet.generate_key().decode()], HASH_KEY)
    assert vault.blind_index(" Jan@Example.org ") == vault.blind_index("jan@example.org")
    assert vault.blind_index("Johan  de Vries") == vault.blind_index("johan de vries")
    assert vault.blind_index("jan@example.org") != vault.blind_index("jan@example.com")
    assert vault.blind_index("") is None and vault.blind_index(None) is None


def test_the_blind_index_depends_on_the_key_so_a_stolen_table_cannot_be_matched() -> None:
    key = Fernet.generate_key().decode()
    assert Vault([key], b"a" * 40).blind_index("x@y.z") != Vault([key], b"b" * 40).blind_index(
        "x@y.z"
    )
