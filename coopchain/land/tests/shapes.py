"""Real-looking plot shapes near Buôn Ma Thuột (Đắk Lắk), for the land tests."""

from typing import Any

LON, LAT = 108.030001, 12.700001


def square(lon: float = LON, lat: float = LAT, side: float = 0.001) -> dict[str, Any]:
    """About 1.2 ha at this latitude for the default side."""
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def quadrilateral(lon: float = LON, lat: float = LAT) -> dict[str, Any]:
    ring = [
        [lon + 0.000123, lat + 0.000045],
        [lon + 0.001289, lat],
        [lon + 0.001380, lat + 0.001126],
        [lon + 0.000076, lat + 0.001215],
    ]
    ring = [[round(x, 6), round(y, 6)] for x, y in ring]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def bow_tie(lon: float = LON, lat: float = LAT) -> dict[str, Any]:
    ring = [
        [lon, lat],
        [lon + 0.001, lat + 0.001],
        [lon + 0.001, lat],
        [lon, lat + 0.001],
        [lon, lat],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def point(lon: float = LON, lat: float = LAT) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def feature(geometry: Any, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}
