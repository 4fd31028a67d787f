# Assembles the web root (cmake -P): SOURCE_DIR is web/, NODE_MODULES what npm ci
# installed, WEB_ROOT the folder searchd serves. The folder is rebuilt from scratch, so
# a file removed from web/ leaves it too. Only what the page loads is copied.
foreach(var SOURCE_DIR NODE_MODULES WEB_ROOT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "assemble.cmake needs -D${var}=...")
  endif()
endforeach()

file(REMOVE_RECURSE ${WEB_ROOT})
file(MAKE_DIRECTORY ${WEB_ROOT}/static/app)

file(GLOB pages ${SOURCE_DIR}/pages/*.html)
file(COPY ${pages} DESTINATION ${WEB_ROOT})
file(GLOB app ${SOURCE_DIR}/app/*.mjs ${SOURCE_DIR}/app/*.css)
file(COPY ${app} DESTINATION ${WEB_ROOT}/static/app)

set(italia ${NODE_MODULES}/bootstrap-italia/dist)
set(to ${WEB_ROOT}/static/vendor/bootstrap-italia)
file(COPY ${italia}/css/bootstrap-italia.min.css DESTINATION ${to}/css)
file(COPY ${italia}/svg/sprites.svg DESTINATION ${to}/svg)
foreach(family Titillium_Web Roboto_Mono Lora)
  file(GLOB fonts ${italia}/fonts/${family}/*.woff2)
  file(COPY ${fonts} DESTINATION ${to}/fonts/${family})
endforeach()
file(COPY ${NODE_MODULES}/bootstrap-italia/LICENSE DESTINATION ${to})

# PDF.js, the build for older browsers (operators' office PCs), and the metrics of the
# standard fonts that PDFs may name without embedding.
set(pdfjs ${NODE_MODULES}/pdfjs-dist)
set(to ${WEB_ROOT}/static/vendor/pdfjs)
file(COPY ${pdfjs}/legacy/build/pdf.min.mjs ${pdfjs}/legacy/build/pdf.worker.min.mjs
     ${pdfjs}/web/pdf_viewer.css ${pdfjs}/LICENSE DESTINATION ${to})
file(GLOB standard_fonts ${pdfjs}/standard_fonts/*.pfb ${pdfjs}/standard_fonts/*.ttf)
file(COPY ${standard_fonts} DESTINATION ${to}/standard_fonts)
