"""What newscrawl relies on inside Scrapy beyond its public API. When a Scrapy upgrade changes
any of it, this fails first, naming what moved (pyproject pins Scrapy below 3 for this)."""

from __future__ import annotations

import inspect

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

from newscrawl.crawl.robots import StrictRobotsTxtMiddleware


def params(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_robots_middleware_private_methods_we_override_keep_their_shape() -> None:
    # StrictRobotsTxtMiddleware overrides these and reads self._parsers / self._stats.
    assert params(RobotsTxtMiddleware.robot_parser) == ["self", "request"]
    assert inspect.iscoroutinefunction(RobotsTxtMiddleware.robot_parser)
    assert params(RobotsTxtMiddleware.process_request_2) == ["self", "rp", "request"]
    assert params(RobotsTxtMiddleware._parse_robots) == ["self", "response", "netloc",
                                                         "request"]
    assert inspect.iscoroutinefunction(RobotsTxtMiddleware._parse_robots)
    assert params(RobotsTxtMiddleware._robots_error) == ["self", "exc", "netloc"]
    source = inspect.getsource(RobotsTxtMiddleware)
    assert "self._parsers" in source and "self._stats" in source


def test_every_override_still_overrides_something() -> None:
    for name, member in vars(StrictRobotsTxtMiddleware).items():
        if callable(member) and not name.startswith("__") and name != "_unreachable":
            assert hasattr(RobotsTxtMiddleware, name), f"Scrapy no longer has {name}"
