/* Maps of centers with Leaflet (from the django-leaflet package). Points come from a JSON script tag. */
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
    points.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lng], {
        radius: 9, weight: 2, color: "#1d1b19",
        fillColor: point.counted ? "#1e6b3a" : "#c99a06", fillOpacity: 0.9
      }).addTo(map);
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
