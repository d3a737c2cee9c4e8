/* Plot maps (Leaflet, served by the platform). Without MAP_TILE_URL the plots are drawn on a
 * plain background, which is enough to see shapes, neighbours and overlaps offline.
 *   [data-plots-map="URL"]   the cooperative's plots from a GeoJSON endpoint, coloured by crop
 *   [data-plot-geometry]     one plot's geometry, given in the attribute
 *   [data-plot-draw="ID"]    tap corners to draw a plot into the textarea with that id
 * No inline scripts or styles (Content-Security-Policy): data arrives in data- attributes. */
(function () {
  "use strict";

  var VIET_NAM = [[8.1, 102.1], [23.4, 109.5]];
  var DEFAULT_COLOUR = "#2e7d32";

  function baseMap(element) {
    var map = L.map(element, { attributionControl: Boolean(element.dataset.tileUrl) });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        maxZoom: 20,
        attribution: element.dataset.tileAttribution || "",
      }).addTo(map);
    }
    map.fitBounds(VIET_NAM);
    return map;
  }

  function styleFor(feature) {
    var colour = (feature && feature.properties && feature.properties.colour) || DEFAULT_COLOUR;
    return { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.45 };
  }

  function pointLayer(feature, latlng) {
    var style = styleFor(feature);
    style.radius = 7;
    return L.circleMarker(latlng, style);
  }

  function fit(map, layer) {
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [16, 16], maxZoom: 18 });
    }
  }

  function textLine(parent, text, tag) {
    var element = document.createElement(tag || "p");
    element.textContent = text;
    parent.appendChild(element);
    return element;
  }

  // Built from DOM nodes, never HTML strings: plot and member names are user input.
  function popupFor(labels) {
    return function (feature, layer) {
      var p = feature.properties || {};
      var box = document.createElement("div");
      var title = textLine(box, "", "p");
      var strong = document.createElement("strong");
      strong.textContent = p.code + (p.name ? " · " + p.name : "");
      title.appendChild(strong);
      textLine(box, p.member + " (" + p.member_code + ")");
      textLine(box, p.area_ha + " " + labels.area + (p.crops ? " · " + p.crops : ""));
      if (p.warnings) {
        textLine(box, p.warnings + " " + labels.warnings);
      }
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = labels.open;
      box.appendChild(link);
      layer.bindPopup(box);
    };
  }

  function plotsMap(element) {
    var map = baseMap(element);
    var status = document.getElementById("map-status");
    var labels = {
      area: element.dataset.labelArea || "ha",
      open: element.dataset.labelOpen || "Open",
      warnings: element.dataset.labelWarnings || "warnings",
    };
    fetch(element.dataset.plotsMap, {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json, application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: styleFor,
          pointToLayer: pointLayer,
          onEachFeature: popupFor(labels),
        }).addTo(map);
        fit(map, layer);
        if (status) {
          status.textContent = status.dataset.loaded.replace("%(count)s", data.features.length);
        }
        element.dataset.loaded = String(data.features.length);
      })
      .catch(function () {
        if (status) {
          status.textContent = status.dataset.failed;
        }
      });
  }

  function plotMap(element) {
    var map = baseMap(element);
    var geometry = JSON.parse(element.dataset.plotGeometry);
    var layer = L.geoJSON(geometry, { style: styleFor, pointToLayer: pointLayer }).addTo(map);
    fit(map, layer);
  }

  // Six decimals, as the geometry checks and the EU information system ask.
  function round6(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  function drawMap(element) {
    var target = document.getElementById(element.dataset.plotDraw);
    var map = baseMap(element);
    var corners = [];
    var shown = L.layerGroup().addTo(map);
    var section = element.closest("section") || document;

    function existing() {
      try {
        var geometry = JSON.parse(target.value);
        var layer = L.geoJSON(geometry, { style: styleFor, pointToLayer: pointLayer });
        layer.addTo(shown);
        fit(map, layer);
      } catch (error) {
        // Nothing drawn yet, or text being typed: the server says what is wrong on save.
      }
    }

    function redraw() {
      shown.clearLayers();
      if (corners.length === 1) {
        L.circleMarker(corners[0], { radius: 5 }).addTo(shown);
      } else if (corners.length > 1) {
        L.polygon(corners, styleFor(null)).addTo(shown);
      }
    }

    function write(geometry) {
      target.value = JSON.stringify(geometry);
      target.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function finish() {
      if (corners.length < 3) {
        return;
      }
      var ring = corners.map(function (c) {
        return [round6(c.lng), round6(c.lat)];
      });
      ring.push(ring[0].slice());
      write({ type: "Polygon", coordinates: [ring] });
    }

    map.on("click", function (event) {
      corners.push(event.latlng);
      redraw();
    });

    section.querySelectorAll("[data-draw]").forEach(function (button) {
      button.addEventListener("click", function () {
        var action = button.dataset.draw;
        if (action === "finish") {
          finish();
        } else if (action === "undo") {
          corners.pop();
          redraw();
        } else if (action === "clear") {
          corners = [];
          target.value = "";
          redraw();
        } else if (action === "locate" && navigator.geolocation) {
          navigator.geolocation.getCurrentPosition(
            function (position) {
              var lon = round6(position.coords.longitude);
              var lat = round6(position.coords.latitude);
              corners = [];
              write({ type: "Point", coordinates: [lon, lat] });
              shown.clearLayers();
              L.circleMarker([lat, lon], { radius: 7 }).addTo(shown);
              map.setView([lat, lon], 17);
            },
            function () {
              window.alert(element.dataset.locateError || "");
            },
            { enableHighAccuracy: true, timeout: 20000 }
          );
        }
      });
    });
    existing();
  }

  function start() {
    if (typeof L === "undefined") {
      return;
    }
    document.querySelectorAll("[data-plots-map]").forEach(plotsMap);
    document.querySelectorAll("[data-plot-geometry]").forEach(plotMap);
    document.querySelectorAll("[data-plot-draw]").forEach(drawMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
