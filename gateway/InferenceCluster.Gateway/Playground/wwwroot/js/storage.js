// The browser's storage as the page uses it. A browser that blocks this site's storage throws on every use of it, and
// a full storage on every write: the page then holds what it shows for as long as it is open, and never fails for it.

/** This device's storage (local) when `device`, else this tab's (session); null where the browser blocks it. */
export function storageArea(device) {
  try {
    return device ? localStorage : sessionStorage;
  } catch {
    return null;
  }
}

/** What `area` keeps under `name`; "" for nothing, or storage that cannot be read. */
export function readItem(area, name) {
  try {
    return area?.getItem(name) ?? "";
  } catch {
    return "";
  }
}

/** Keeps `value` under `name` ("" forgets it); returns whether it was kept. */
export function writeItem(area, name, value) {
  try {
    if (value) area.setItem(name, value);
    else area.removeItem(name);
    return true;
  } catch {
    return false;
  }
}
