from coopchain.middleware import content_security_policy


def test_pages_load_images_from_the_platform_only_by_default(settings):
    settings.MAP_TILE_URL = ""

    assert "img-src 'self' data:;" in content_security_policy()


def test_a_configured_tile_server_is_allowed_for_images_and_nothing_else(settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"

    policy = content_security_policy()

    assert "img-src 'self' data: https://tiles.example.org;" in policy
    assert "script-src 'self';" in policy
