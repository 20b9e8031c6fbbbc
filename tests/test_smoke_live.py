"""The live web fixture serves the form over real HTTP."""

import urllib.request

from tests.conftest import LiveWeb


def test_live_web_serves_the_form_of_the_organisation(live_web: LiveWeb) -> None:
    with urllib.request.urlopen(f"{live_web.url}/melden/versa") as response:
        page = response.read().decode()
    assert response.status == 200
    assert 'name="description"' in page
