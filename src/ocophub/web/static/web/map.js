/* Maps of centers with Leaflet (from the django-leaflet package). Points come from a JSON script tag.
   With data-route, the points are an itinerary: numbered markers (a point's "number") and a line
   joining them in their order. */
(function () {
  "use strict";
  function popup(point) {
    var box = document.createElement("div");
    var name = document.createElement(point.url ? "a" : "strong");
    name.textContent = point.name;
    if (point.url) { name.href = point.url; }
    var status = document.createElement("div");
    status.textContent = point.label;
    box.appendChild(name);
    box.appendChild(status);
    return box;
  }
  document.querySelectorAll("[data-map-points]").forEach(function (element) {
    var points = JSON.parse(document.getElementById(element.dataset.mapPoints).textContent);
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false });
    // the controls speak the page's language: their words come from the page (gettext)
    L.control.zoom({
      zoomInTitle: element.dataset.zoomIn || "Zoom in",
      zoomOutTitle: element.dataset.zoomOut || "Zoom out"
    }).addTo(map);
    var credit = document.createElement("a");
    credit.href = "https://leafletjs.com";
    credit.title = element.dataset.leafletTitle || "";
    credit.textContent = "Leaflet";
    map.attributionControl.setPrefix(credit.outerHTML);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution || "", maxZoom: 18 }).addTo(map);
    }
    var bounds = [];
    var route = element.dataset.route === "1";
    if (route && points.length > 1) {
      var line = points.map(function (point) { return [point.lat, point.lng]; });
      // an itinerary that starts at a meeting point (no number) ends back there
      if (!points[0].number) { line.push(line[0]); }
      L.polyline(line, {
        color: "#1e6b3a", weight: 4, opacity: 0.8, dashArray: "8 6"
      }).addTo(map);
    }
    points.forEach(function (point) {
      var marker;
      if (route) {
        var badge = document.createElement("span");
        badge.className = "map-number" + (point.number ? "" : " map-start");
        badge.textContent = point.number ? String(point.number) : "★";
        marker = L.marker([point.lat, point.lng], {
          icon: L.divIcon({ html: badge, className: "map-number-icon", iconSize: [28, 28], iconAnchor: [14, 14] }),
          title: point.name, alt: point.name, keyboard: true
        }).addTo(map);
      } else {
        marker = L.circleMarker([point.lat, point.lng], {
          radius: 9, weight: 2, color: "#1d1b19",
          fillColor: point.counted ? "#1e6b3a" : "#c99a06", fillOpacity: 0.9
        }).addTo(map);
      }
      var label = document.createElement("span");
      label.textContent = point.name;
      marker.bindTooltip(label);
      marker.bindPopup(popup(point));
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 13 });
    } else if (bounds.length === 1) {
      map.setView(bounds[0], 13);
    } else {
      map.setView([21.03, 105.85], 10);
    }
    element.dataset.markers = String(points.length);
  });
})();
